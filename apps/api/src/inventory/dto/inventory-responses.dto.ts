import { InventoryItem } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class InventoryItemDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ example: 'MacBook Pro 16 inch' }) productName: string;
  @ApiProperty({ example: 100 }) totalQuantity: number;
  @ApiProperty({ example: 95 }) availableQuantity: number;
  @ApiProperty({ example: 3, description: 'Held by active reservations' }) reservedQuantity: number;
  @ApiProperty({ example: 2, description: 'Sold through confirmed reservations' }) soldQuantity: number;
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-01-06T10:05:00.000Z' }) updatedAt: string;

  static from(item: InventoryItem): InventoryItemDto {
    return { ...item, createdAt: item.createdAt.toISOString(), updatedAt: item.updatedAt.toISOString() };
  }
}

export class PublicInventoryDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ example: 'MacBook Pro 16 inch' }) productName: string;
  @ApiProperty({ example: 95 }) availableQuantity: number;

  static from(item: InventoryItem): PublicInventoryDto {
    return { sku: item.sku, productName: item.productName, availableQuantity: item.availableQuantity };
  }
}

export class PaginationDto {
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 10 }) limit: number;
  @ApiProperty({ example: 42 }) totalItems: number;
  @ApiProperty({ example: 5 }) totalPages: number;
  @ApiProperty({ example: true }) hasNextPage: boolean;
  @ApiProperty({ example: false }) hasPreviousPage: boolean;
}

export class InventoryPageDto {
  @ApiProperty({ type: [InventoryItemDto] }) items: InventoryItemDto[];
  @ApiProperty({ type: PaginationDto }) pagination: PaginationDto;
}

export class BulkItemErrorDto {
  @ApiProperty({ example: 1, description: 'Position of the item in the request' }) index: number;
  @ApiPropertyOptional({ example: 'SKU-PHONE-001' }) sku?: string;
  @ApiProperty({ example: 'DUPLICATE_SKU' }) code: string;
  @ApiProperty({ example: "Inventory item 'SKU-PHONE-001' already exists" }) message: string;
}

export class BulkCreateResultDto {
  @ApiProperty({ example: 1, description: 'Number of items created' }) created: number;
  @ApiProperty({ example: 1, description: 'Number of items rejected' }) failed: number;
  @ApiProperty({ type: [InventoryItemDto], description: 'The created items' }) items: InventoryItemDto[];
  @ApiProperty({ type: [BulkItemErrorDto], description: 'One entry per rejected item, in request order' }) errors: BulkItemErrorDto[];
}

export class DeletedInventoryDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
}
