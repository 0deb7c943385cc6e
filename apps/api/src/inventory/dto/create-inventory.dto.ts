import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import {
  LOW_STOCK_THRESHOLD_DESCRIPTION,
  LowStockThresholdField,
  MaxPerCustomerField,
  ProductNameField,
  QuantityField,
  STOCK_BUCKETS_DESCRIPTION,
  StockBucketsField,
  SkuField,
} from './inventory-fields';

export class CreateInventoryDto {
  @SkuField()
  sku: string;

  @ProductNameField()
  productName: string;

  @QuantityField('Units the shop owns of this SKU')
  totalQuantity: number;

  @OptionalNotNull()
  @QuantityField('Units customers may reserve now; defaults to totalQuantity and may not exceed it', { required: false })
  availableQuantity?: number;

  @MaxPerCustomerField()
  maxPerCustomer?: number | null;

  @LowStockThresholdField(`${LOW_STOCK_THRESHOLD_DESCRIPTION}. Absent: LOW_STOCK_THRESHOLD if set, else null`)
  lowStockThreshold?: number | null;

  @OptionalNotNull()
  @StockBucketsField(`${STOCK_BUCKETS_DESCRIPTION}. Absent: 1`)
  stockBuckets?: number;
}
