import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import {
  LOW_STOCK_THRESHOLD_DESCRIPTION,
  LowStockThresholdField,
  MAX_PER_CUSTOMER_DESCRIPTION,
  MaxPerCustomerField,
  MovementReasonField,
  ProductNameField,
  QuantityField,
  STOCK_BUCKETS_DESCRIPTION,
  StockBucketsField,
} from './inventory-fields';

/** Partial update; at least one field besides reason. reservedQuantity and soldQuantity change only through reservations. */
export class UpdateInventoryDto {
  @OptionalNotNull()
  @ProductNameField({ required: false })
  productName?: string;

  @OptionalNotNull()
  @QuantityField('New total units', { required: false })
  totalQuantity?: number;

  @OptionalNotNull()
  @QuantityField('New available units', { required: false })
  availableQuantity?: number;

  @MaxPerCustomerField(`${MAX_PER_CUSTOMER_DESCRIPTION}. Absent: unchanged; null: removes the SKU's own cap`)
  maxPerCustomer?: number | null;

  @LowStockThresholdField(`${LOW_STOCK_THRESHOLD_DESCRIPTION}. Absent: unchanged`)
  lowStockThreshold?: number | null;

  @OptionalNotNull()
  @StockBucketsField(`${STOCK_BUCKETS_DESCRIPTION}. Absent: unchanged; a change spreads the stock again in the same transaction`)
  stockBuckets?: number;

  @MovementReasonField()
  reason?: string;
}
