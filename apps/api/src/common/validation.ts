import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';

/** Unknown fields rejected, types enforced (no implicit coercion of body values), every failing field named. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
};

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe(VALIDATION_OPTIONS);
}
