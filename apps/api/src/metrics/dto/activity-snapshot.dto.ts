import { ApiProperty } from '@nestjs/swagger';
import { RESERVATION_OUTCOMES, ReservationOutcome } from '../reservation-outcome';

export class HoldsEndedDto {
  @ApiProperty({ example: 12 }) confirmed: number;
  @ApiProperty({ example: 3 }) cancelled: number;
  @ApiProperty({ example: 5 }) expired: number;
}

export class ActivitySnapshotDto {
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z', description: 'When the counters were read' }) at: string;

  @ApiProperty({
    description:
      'Reserve requests answered by this instance since it started, by outcome ' +
      `(${RESERVATION_OUTCOMES.join(', ')}); the counter inventory_reservations_total`,
    example: { reserved: 120, replayed: 2, insufficient: 7, not_found: 0 },
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  reservationsByOutcome: Record<ReservationOutcome, number>;

  @ApiProperty({
    type: HoldsEndedDto,
    description: 'Holds that left RESERVED on this instance since it started (inventory_holds_transitions_total)',
  })
  holdsEnded: HoldsEndedDto;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.4,
    description:
      'How long the longest-overdue hold has waited for the expiry sweeper (inventory_expiry_lag_seconds); ' +
      'null: the database did not answer',
  })
  expiryLagSeconds: number | null;
}
