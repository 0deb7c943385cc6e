import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

const CURSOR_MAX_LENGTH = 200;

/** An opaque cursor this service issued (base64url); anything else is refused, here or by the store (INVALID_CURSOR). */
export function CursorField(name: string, description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, maxLength: CURSOR_MAX_LENGTH, example: 'bToxMjM' }),
    ValidateIf((_object, value) => value !== undefined),
    IsString(),
    MaxLength(CURSOR_MAX_LENGTH),
    Matches(/^[A-Za-z0-9_-]+$/, { message: `${name} must be a cursor this service returned` }),
  );
}

/** `limit` of a cursor-paged list: an integer from 1 to `max`. */
export function PageLimitField(fallback: number, max: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: `Most items in the page, 1 to ${max}`,
      default: fallback,
      minimum: 1,
      maximum: max,
      type: 'integer',
    }),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );
}
