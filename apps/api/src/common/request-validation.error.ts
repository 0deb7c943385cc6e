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
    if (error.constraints) flat.push({ field, messages: fieldMessages(error, error.constraints) });
    if (error.children?.length) flat.push(...flattenValidationErrors(error.children, field));
  }
  return flat;
}

/** Checks of what kind a value must be; when one fails, the field's range and format checks say nothing useful. */
const TYPE_RULES: Record<string, string> = {
  isInt: 'must be an integer',
  isString: 'must be a string',
  isArray: 'must be an array',
  isBoolean: 'must be a boolean',
};

/**
 * What is wrong with one field, most basic problem first: a missing field is only "required", a value of the
 * wrong type only says the type. Needs the pipe's `validationError.value` (the value never reaches the client).
 */
function fieldMessages(error: ValidationError, constraints: Record<string, string>): string[] {
  const rejectedAsUnknown = 'whitelistValidation' in constraints;
  if (error.value === undefined && !rejectedAsUnknown) return [`${error.property} is required`];
  const typeRule = Object.keys(constraints).find((name) => name in TYPE_RULES);
  if (typeRule) return [`${error.property} ${TYPE_RULES[typeRule]}`];
  return Object.values(constraints);
}

function summarize(errors: FieldError[]): string {
  const first = errors[0];
  if (!first) return 'Validation failed';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Validation failed: ${first.messages[0]}${more}`;
}
