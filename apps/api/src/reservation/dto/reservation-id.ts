import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationError } from '../../common/request-validation.error';

export class ReservationIdDto {
  @ApiProperty({ example: '550e8400-e29b-41d4-a716-446655440000', format: 'uuid' })
  @IsUUID('all', { message: 'reservationId must be a UUID' })
  reservationId: string;
}

/** Validates a :reservationId path segment with the same message as the body field. */
export const reservationIdParamPipe = new ParseUUIDPipe({
  exceptionFactory: () => new RequestValidationError([{ field: 'reservationId', messages: ['reservationId must be a UUID'] }]),
});
