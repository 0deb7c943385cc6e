import {
  MAX_QUANTITY,
  MOVEMENT_REASON_MAX_LENGTH,
  PRODUCT_NAME_MAX_LENGTH,
  SKU_MAX_LENGTH,
  SKU_PATTERN,
  STOCK_BUCKETS_MAX,
} from '@app/core';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { WELL_FORMED_TEXT } from '../../common/well-formed-text';

export const SKU_DESCRIPTION =
  `Stock keeping unit: 1-${SKU_MAX_LENGTH} characters of letters, digits, ".", "_" and "-", ` +
  'starting with a letter or digit (case-sensitive)';
/** What a malformed SKU is told, in the body field and the path segment alike. */
export const SKU_RULE_MESSAGE = `sku must be 1-${SKU_MAX_LENGTH} letters, digits, '.', '_' or '-', starting with a letter or digit`;

export function SkuField(options: ApiPropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: SKU_DESCRIPTION,
      example: 'SKU-LAPTOP-001',
      pattern: SKU_PATTERN.source,
      maxLength: SKU_MAX_LENGTH,
      ...options,
    }),
    IsString(),
    Matches(SKU_PATTERN, { message: SKU_RULE_MESSAGE }),
  );
}

export function ProductNameField(options: ApiPropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: `Display name, 1-${PRODUCT_NAME_MAX_LENGTH} characters, not blank`,
      example: 'MacBook Pro 16 inch',
      maxLength: PRODUCT_NAME_MAX_LENGTH,
      ...options,
    }),
    IsString(),
    MaxLength(PRODUCT_NAME_MAX_LENGTH),
    Matches(/\S/, { message: 'productName must not be blank' }),
    Matches(/^[^\p{Cc}]*$/u, { message: 'productName must not contain control characters' }),
    Matches(WELL_FORMED_TEXT, { message: 'productName must be well-formed Unicode text' }),
  );
}

export function QuantityField(description: string, options: ApiPropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: `${description}; an integer from 0 to ${MAX_QUANTITY}`,
      example: 100,
      minimum: 0,
      maximum: MAX_QUANTITY,
      type: 'integer',
      ...options,
    }),
    IsInt(),
    Min(0),
    Max(MAX_QUANTITY),
  );
}

export const MAX_PER_CUSTOMER_DESCRIPTION =
  'Most units one customer (userId) may hold of this SKU at once, over all their active holds; an integer from 1 to ' +
  `${MAX_QUANTITY}. null: no cap of its own, so RESERVATION_MAX_PER_CUSTOMER applies if set. ` +
  'A reserve past it answers 409 PER_CUSTOMER_LIMIT_EXCEEDED';

/** Optional; null is accepted and means "no cap of its own" (on update: remove the cap). */
export function MaxPerCustomerField(description = MAX_PER_CUSTOMER_DESCRIPTION): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example: 2, minimum: 1, maximum: MAX_QUANTITY, type: 'integer', nullable: true }),
    ValidateIf((_object, value) => value !== undefined && value !== null),
    IsInt(),
    Min(1),
    Max(MAX_QUANTITY),
  );
}

export const LOW_STOCK_THRESHOLD_DESCRIPTION =
  `inventory.low_stock fires once when availableQuantity falls below it (an integer from 1 to ${MAX_QUANTITY}); ` +
  'null: no low-stock events for this SKU';

/** Optional; null is accepted and means "no low-stock events" (on create, absent means LOW_STOCK_THRESHOLD). */
export function LowStockThresholdField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example: 5, minimum: 1, maximum: MAX_QUANTITY, type: 'integer', nullable: true }),
    ValidateIf((_object, value) => value !== undefined && value !== null),
    IsInt(),
    Min(1),
    Max(MAX_QUANTITY),
  );
}

export const STOCK_BUCKETS_DESCRIPTION =
  `Flash sales: how many rows this SKU's stock is spread over, an integer from 1 to ${STOCK_BUCKETS_MAX}, so concurrent ` +
  'reserves of one hot SKU lock different rows instead of queueing on one (the counters shown are always the sums). ' +
  'PostgreSQL and PGlite only: MongoDB answers 400 STOCK_BUCKETS_UNSUPPORTED above 1';

/** Optional, not null. */
export function StockBucketsField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example: 8, minimum: 1, maximum: STOCK_BUCKETS_MAX, type: 'integer' }),
    ValidateIf((_object, value) => value !== undefined),
    IsInt(),
    Min(1),
    Max(STOCK_BUCKETS_MAX),
  );
}

/** Why an admin changed the counters: kept on the ledger movement. */
export function MovementReasonField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: `Why, kept on the SKU's ledger movement (1-${MOVEMENT_REASON_MAX_LENGTH} characters) when a counter changes`,
      example: 'stock count 2026-01-06: two damaged',
      maxLength: MOVEMENT_REASON_MAX_LENGTH,
    }),
    ValidateIf((_object, value) => value !== undefined),
    IsString(),
    MaxLength(MOVEMENT_REASON_MAX_LENGTH),
    Matches(/\S/, { message: 'reason must not be blank' }),
    Matches(/^[^\p{Cc}]*$/u, { message: 'reason must not contain control characters' }),
    Matches(WELL_FORMED_TEXT, { message: 'reason must be well-formed Unicode text' }),
  );
}
