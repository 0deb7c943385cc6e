import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** What a malformed reservation id is told, in the body field and the path segment alike. */
export const RESERVATION_ID_RULE_MESSAGE = 'reservationId must be a UUID';

export class ReservationIdDto {
  @ApiProperty({ example: '550e8400-e29b-41d4-a716-446655440000', format: 'uuid' })
  @IsUUID('all', { message: RESERVATION_ID_RULE_MESSAGE })
  reservationId: string;
}
