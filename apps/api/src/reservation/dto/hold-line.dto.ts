import { PickType } from '@nestjs/swagger';
import { ReserveDto } from './reserve.dto';

/** One line of a cart or of a release: the SKU and quantity fields of `/inventory/reserve`, with the same rules. */
export class HoldLineDto extends PickType(ReserveDto, ['sku', 'quantity'] as const) {}
