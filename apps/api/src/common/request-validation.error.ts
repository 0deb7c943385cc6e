import { BadRequestException, ValidationError } from '@nestjs/common';
import { FieldError } from './api-envelope';

/** A 400 that names every offending field. Built by the global ValidationPipe and by per-item bulk validation. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super(summarize(fieldErrors));
  }

  static fromValidationErrors(errors: ValidationError[], prefix = ''): RequestValidationError {
    return new RequestValidationError(flattenValidationErrors(errors, prefix));
  }
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) flat.push({ field, messages: Object.values(error.constraints) });
    if (error.children?.length) flat.push(...flattenValidationErrors(error.children, field));
  }
  return flat;
}

function summarize(errors: FieldError[]): string {
  const first = errors[0];
  if (!first) return 'Validation failed';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Validation failed: ${first.messages[0]}${more}`;
}
