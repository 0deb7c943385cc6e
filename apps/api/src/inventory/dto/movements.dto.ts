import { MOVEMENT_TYPES, movementSnapshot } from '@app/core';
import type { MovementType, StockMovement } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { CursorField, PageLimitField } from '../../common/cursor-query';

export class MovementsQueryDto {
  @PageLimitField(50, 200)
  limit: number = 50;

  @CursorField('cursor', 'nextCursor of the previous page; absent: the newest movements')
  cursor?: string;
}

export class StockMovementDto {
  @ApiProperty({ example: 7, description: 'Increases with every movement of the SKU, in the order the changes were made' }) id: number;
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ enum: MOVEMENT_TYPES, example: 'reserved' }) type: MovementType;
  @ApiProperty({ example: -2 }) availableDelta: number;
  @ApiProperty({ example: 2 }) reservedDelta: number;
  @ApiProperty({ example: 0 }) soldDelta: number;
  @ApiProperty({ example: 0 }) totalDelta: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: '3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b' })
  reservationId: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: "The admin's reason, for an adjustment" }) reason: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '5f0c6f1e-7f1a-4d8e-9a56-2b0f3c1d9e77',
    description: 'Id of the API key that made the change; null for anonymous callers and for the service itself (expiry)',
  })
  actor: string | null;
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) at: string;

  /** The movement exactly as events carry it. */
  static from(movement: StockMovement): StockMovementDto {
    return movementSnapshot(movement);
  }
}

export class MovementPageDto {
  @ApiProperty({ type: [StockMovementDto], description: 'Newest first' }) items: StockMovementDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next (older) page; null on the last page' })
  nextCursor: string | null;
}
