import { ArgumentMetadata, Injectable, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationError } from '../common/request-validation.error';
import { canonicalReservationId, RESERVATION_ID_RULE_MESSAGE } from './dto/reservation-id';

/**
 * Rejects a :reservationId path segment that is not a UUID with a 400 before it reaches the service, and passes
 * it on in canonical lower case, so every backend finds the hold however the client wrote it.
 */
@Injectable()
export class ReservationIdParamPipe extends ParseUUIDPipe {
  constructor() {
    super({ exceptionFactory: () => new RequestValidationError([{ field: 'reservationId', messages: [RESERVATION_ID_RULE_MESSAGE] }]) });
  }

  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return canonicalReservationId(await super.transform(value, metadata));
  }
}
