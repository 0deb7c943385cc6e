import { Injectable, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationError } from '../common/request-validation.error';

/** Rejects an :id path segment that is not a UUID with a 400 before it reaches the service. */
@Injectable()
export class WebhookIdParamPipe extends ParseUUIDPipe {
  constructor() {
    super({ exceptionFactory: () => new RequestValidationError([{ field: 'id', messages: ['id must be a UUID'] }]) });
  }
}
