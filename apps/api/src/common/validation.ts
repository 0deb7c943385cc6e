import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';

/** The failing value is kept for flattenValidationErrors (to tell "missing" from "wrong"); it is never sent to the client. */
export const VALIDATION_ERROR_FIELDS = { target: false, value: true };

/** Unknown fields rejected, types enforced (no implicit coercion of body values), every failing field named. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: VALIDATION_ERROR_FIELDS,
  exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
};

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe(VALIDATION_OPTIONS);
}
