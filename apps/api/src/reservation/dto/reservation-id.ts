import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';

/** What a malformed reservation id is told, in the body field and the path segment alike. */
export const RESERVATION_ID_RULE_MESSAGE = 'reservationId must be a UUID';

/**
 * Reservation ids are handed out in lower case; PostgreSQL compares them as uuid (any case), MongoDB as strings
 * (exact). Ids are lower-cased once, here at the API's edge, so an upper-cased id (e.g. Swift's uuidString) finds
 * its hold on every backend.
 */
export function canonicalReservationId(id: string): string {
  return id.toLowerCase();
}

export class ReservationIdDto {
  @ApiProperty({ example: '550e8400-e29b-41d4-a716-446655440000', format: 'uuid', description: 'Any letter case' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalReservationId(value) : value))
  @IsUUID('all', { message: RESERVATION_ID_RULE_MESSAGE })
  reservationId: string;
}
