import { INVENTORY_SORT_FIELDS } from '@app/core';
import type { InventorySortField, SortOrder } from '@app/core';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';

const LIST_MAX_LIMIT = 100;
const MAX_PAGE = 1_000_000;

export class ListInventoryQueryDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', default: 1, minimum: 1, maximum: MAX_PAGE, type: 'integer' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({
    description: `Items per page, 1 to ${LIST_MAX_LIMIT}`,
    default: 10,
    minimum: 1,
    maximum: LIST_MAX_LIMIT,
    type: 'integer',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIST_MAX_LIMIT)
  limit: number = 10;

  @ApiPropertyOptional({ description: 'Field to sort by (ties broken by sku)', enum: INVENTORY_SORT_FIELDS, default: 'sku' })
  @IsIn(INVENTORY_SORT_FIELDS)
  sortBy: InventorySortField = 'sku';

  @ApiPropertyOptional({ description: 'Sort direction', enum: ['asc', 'desc'], default: 'asc' })
  @IsIn(['asc', 'desc'])
  sortOrder: SortOrder = 'asc';
}
