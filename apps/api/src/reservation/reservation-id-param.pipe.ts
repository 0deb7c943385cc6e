import { Injectable, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationError } from '../common/request-validation.error';
import { RESERVATION_ID_RULE_MESSAGE } from './dto/reservation-id';

/** Rejects a :reservationId path segment that is not a UUID with a 400 before it reaches the service. */
@Injectable()
export class ReservationIdParamPipe extends ParseUUIDPipe {
  constructor() {
    super({ exceptionFactory: () => new RequestValidationError([{ field: 'reservationId', messages: [RESERVATION_ID_RULE_MESSAGE] }]) });
  }
}
