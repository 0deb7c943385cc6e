import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { ProductNameField, QuantityField } from './inventory-fields';

/** Partial update; at least one field. reservedQuantity and soldQuantity change only through reservations. */
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
}
