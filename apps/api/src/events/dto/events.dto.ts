import { EVENT_TYPES } from '@app/core';
import type { DomainEvent, EventData, EventType } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { CursorField, PageLimitField } from '../../common/cursor-query';

export class EventsQueryDto {
  @CursorField('after', 'nextCursor of the previous read; absent: from the oldest event kept')
  after?: string;

  @PageLimitField(50, 500)
  limit: number = 50;
}

export const EVENT_DATA_DESCRIPTION =
  'Reservation events: { reservation (the hold after the change), movements (one per SKU; none for an extension) }. ' +
  'Inventory events: { item (after the change; before it for inventory.deleted), movement (null when no counter changed) }.';

export class DomainEventDto {
  @ApiProperty({ format: 'uuid', example: '0b7e2f9c-4d1a-4c3e-9f8b-2a6d5c4b3a21', description: 'Also the webhook-id of its deliveries' })
  id: string;
  @ApiProperty({ enum: EVENT_TYPES, example: 'reservation.created' }) type: EventType;
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z', description: 'When the change was made' }) timestamp: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: EVENT_DATA_DESCRIPTION,
    example: {
      reservation: {
        reservationId: '3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b',
        userId: 'user-123',
        status: 'RESERVED',
        items: [{ sku: 'SKU-LAPTOP-001', quantity: 2 }],
        expiresAt: '2026-01-06T10:05:00.000Z',
        idempotencyKey: 'order-42',
        createdAt: '2026-01-06T10:00:00.000Z',
        finishedAt: null,
      },
      movements: [
        {
          id: 7,
          sku: 'SKU-LAPTOP-001',
          type: 'reserved',
          availableDelta: -2,
          reservedDelta: 2,
          soldDelta: 0,
          totalDelta: 0,
          reservationId: '3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b',
          reason: null,
          actor: null,
          at: '2026-01-06T10:00:00.000Z',
        },
      ],
    },
  })
  data: EventData;

  static from(event: DomainEvent): DomainEventDto {
    return { id: event.id, type: event.type, timestamp: event.timestamp.toISOString(), data: event.data };
  }
}

export class EventPageDto {
  @ApiProperty({ type: [DomainEventDto], description: 'Oldest first' }) items: DomainEventDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` to read on (also when items is empty: poll again with it); null only before the first event',
  })
  nextCursor: string | null;
}
