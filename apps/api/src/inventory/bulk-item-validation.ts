import { BulkItemFailure, NewInventoryItemInput } from '@app/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../common/request-validation.error';
import { VALIDATION_ERROR_FIELDS, VALIDATION_OPTIONS } from '../common/validation';
import { CreateInventoryDto } from './dto/create-inventory.dto';

export type BulkItemCheck = { ok: true; input: NewInventoryItemInput } | { ok: false; failure: BulkItemFailure };

/** Validates one bulk item with the same rules as a single create, so one bad item can be reported alone. */
export function checkBulkItem(raw: unknown, index: number): BulkItemCheck {
  const sku = typeof (raw as { sku?: unknown } | null)?.sku === 'string' ? (raw as { sku: string }).sku : undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, failure: { index, code: 'VALIDATION_FAILED', message: `items[${index}] must be an object` } };
  }
  const dto = plainToInstance(CreateInventoryDto, raw, VALIDATION_OPTIONS.transformOptions);
  const errors = flattenValidationErrors(
    validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: VALIDATION_ERROR_FIELDS }),
    `items[${index}]`,
  );
  if (errors.length > 0) {
    const message = errors.flatMap((error) => error.messages.map((text) => `${error.field}: ${text}`)).join('; ');
    return { ok: false, failure: { index, sku, code: 'VALIDATION_FAILED', message } };
  }
  return { ok: true, input: dto };
}
