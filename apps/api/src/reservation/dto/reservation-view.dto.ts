import { effectiveStatus, Reservation, RESERVATION_STATUSES } from '@app/core';
import type { ReservationStatus } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HoldLineViewDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ example: 5 }) quantity: number;
}

const ONE_LINE_ONLY = 'Only on a hold of one line (every `/inventory/reserve` hold): the original single-SKU shape';

export class ReservationViewDto {
  @ApiProperty({ example: '550e8400-e29b-41d4-a716-446655440000', format: 'uuid' }) reservationId: string;
  @ApiPropertyOptional({ example: 'SKU-LAPTOP-001', description: `The SKU of its one line. ${ONE_LINE_ONLY}` }) sku?: string;
  @ApiProperty({ example: 'customer-101' }) userId: string;
  @ApiPropertyOptional({ example: 5, description: `The quantity of its one line. ${ONE_LINE_ONLY}` }) quantity?: number;
  @ApiProperty({
    type: [HoldLineViewDto],
    description:
      'Every line of the hold, one per SKU, in SKU byte order. A finished hold keeps the lines it had when it ended ' +
      '(a hold cancelled by releasing everything: the lines before that release)',
  })
  items: HoldLineViewDto[];
  @ApiProperty({
    enum: RESERVATION_STATUSES,
    example: 'RESERVED',
    description: 'A RESERVED hold whose time has passed is shown as EXPIRED even before the sweeper has released it',
  })
  status: ReservationStatus;
  @ApiProperty({ example: '2026-01-06T10:05:00.000Z' }) expiresAt: string;
  @ApiProperty({ example: 287, description: 'Whole seconds until expiry while RESERVED; 0 otherwise' }) secondsLeft: number;
  @ApiProperty({ example: 'order-12345' }) idempotencyKey: string;
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'When the hold was confirmed, cancelled or expired' })
  finishedAt: string | null;

  static from(reservation: Reservation, now: Date): ReservationViewDto {
    const status = effectiveStatus(reservation, now);
    const [only] = reservation.items.length === 1 ? reservation.items : [];
    return {
      reservationId: reservation.id,
      ...(only ? { sku: only.sku } : {}),
      userId: reservation.userId,
      ...(only ? { quantity: only.quantity } : {}),
      items: reservation.items.map(({ sku, quantity }) => ({ sku, quantity })),
      status,
      expiresAt: reservation.expiresAt.toISOString(),
      secondsLeft: status === 'RESERVED' ? Math.max(0, Math.ceil((reservation.expiresAt.getTime() - now.getTime()) / 1000)) : 0,
      idempotencyKey: reservation.idempotencyKey,
      createdAt: reservation.createdAt.toISOString(),
      finishedAt: reservation.finishedAt?.toISOString() ?? null,
    };
  }
}
