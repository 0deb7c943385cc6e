import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { CreateInventoryDto } from './create-inventory.dto';

export const BULK_MAX_ITEMS = 500;

export class BulkCreateInventoryDto {
  @ApiProperty({
    type: [CreateInventoryDto],
    minItems: 1,
    maxItems: BULK_MAX_ITEMS,
    description: `1 to ${BULK_MAX_ITEMS} items. Each item is validated on its own: a bad item is reported, the others are still created.`,
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must contain at least 1 item' })
  @ArrayMaxSize(BULK_MAX_ITEMS, { message: `items must contain at most ${BULK_MAX_ITEMS} items` })
  items: unknown[];
}
