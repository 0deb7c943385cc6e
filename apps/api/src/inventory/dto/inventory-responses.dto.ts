import { BulkItemFailure, InventoryItem, itemSnapshot } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class InventoryItemDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ example: 'MacBook Pro 16 inch' }) productName: string;
  @ApiProperty({ example: 100 }) totalQuantity: number;
  @ApiProperty({ example: 95 }) availableQuantity: number;
  @ApiProperty({ example: 3, description: 'Held by active reservations' }) reservedQuantity: number;
  @ApiProperty({ example: 2, description: 'Sold through confirmed reservations' }) soldQuantity: number;
  @ApiProperty({
    example: 2,
    type: 'integer',
    nullable: true,
    description: 'Most units one customer may hold at once; null: no cap of its own (RESERVATION_MAX_PER_CUSTOMER applies if set)',
  })
  maxPerCustomer: number | null;
  @ApiProperty({
    example: 5,
    type: 'integer',
    nullable: true,
    description: 'inventory.low_stock fires when availableQuantity falls below it; null: never',
  })
  lowStockThreshold: number | null;
  @ApiProperty({
    example: 1,
    type: 'integer',
    description: 'How many rows the stock is spread over (flash sales); the counters above are the sums',
  })
  stockBuckets: number;
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-01-06T10:05:00.000Z' }) updatedAt: string;

  /** The item exactly as events carry it. */
  static from(item: InventoryItem): InventoryItemDto {
    return itemSnapshot(item);
  }
}

export class PublicInventoryDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ example: 'MacBook Pro 16 inch' }) productName: string;
  @ApiProperty({ example: 100 }) totalQuantity: number;
  @ApiProperty({ example: 95 }) availableQuantity: number;

  static from(item: InventoryItem): PublicInventoryDto {
    return { sku: item.sku, productName: item.productName, totalQuantity: item.totalQuantity, availableQuantity: item.availableQuantity };
  }
}

export class PaginationDto {
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 10 }) limit: number;
  @ApiProperty({ example: 42 }) totalItems: number;
  @ApiProperty({ example: 5 }) totalPages: number;
  @ApiProperty({ example: true }) hasNextPage: boolean;
  @ApiProperty({ example: false }) hasPreviousPage: boolean;
  @ApiProperty({ example: 1, description: "Same as page (the original service's name)" }) currentPage: number;
  @ApiProperty({ example: 10, description: "Same as limit (the original service's name)" }) itemsPerPage: number;
}

export class InventoryPageDto {
  @ApiProperty({ type: [InventoryItemDto] }) items: InventoryItemDto[];
  @ApiProperty({ type: PaginationDto }) pagination: PaginationDto;
}

export class BulkItemErrorDto {
  @ApiProperty({ example: 1, description: 'Position of the item in the request' }) index: number;
  @ApiPropertyOptional({ example: 'SKU-PHONE-001', description: 'Absent when the item has no string sku' }) sku?: string;
  @ApiProperty({ example: "Inventory item 'SKU-PHONE-001' already exists", description: "Same as message (the original service's name)" })
  error: string;
  @ApiProperty({ example: 'DUPLICATE_SKU' }) code: string;
  @ApiProperty({ example: "Inventory item 'SKU-PHONE-001' already exists" }) message: string;

  static from(failure: BulkItemFailure): BulkItemErrorDto {
    return { index: failure.index, sku: failure.sku, error: failure.message, code: failure.code, message: failure.message };
  }
}

export class BulkCreateResultDto {
  @ApiProperty({ example: 1, description: 'Number of items created' }) success: number;
  @ApiProperty({ example: 1, description: 'Number of items rejected' }) failed: number;
  @ApiProperty({ type: [InventoryItemDto], description: 'The created items, in request order' }) created: InventoryItemDto[];
  @ApiProperty({ type: [BulkItemErrorDto], description: 'One entry per rejected item, in request order' }) errors: BulkItemErrorDto[];

  /** `requested` gives each SKU's position in the batch: the store may return inserted rows in any order. */
  static from(
    requested: { index: number; input: { sku: string } }[],
    created: InventoryItem[],
    failures: BulkItemFailure[],
  ): BulkCreateResultDto {
    const position = new Map<string, number>();
    for (const { index, input } of requested) if (!position.has(input.sku)) position.set(input.sku, index);
    const inOrder = [...created].sort((a, b) => (position.get(a.sku) ?? 0) - (position.get(b.sku) ?? 0));
    return {
      success: created.length,
      failed: failures.length,
      created: inOrder.map(InventoryItemDto.from),
      errors: [...failures].sort((a, b) => a.index - b.index).map(BulkItemErrorDto.from),
    };
  }
}

export class DeletedInventoryDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
}
