import { ReservationSettings } from '@app/core';
import { Injectable, PipeTransform } from '@nestjs/common';
import { FieldError } from '../common/api-envelope';
import { RequestValidationError } from '../common/request-validation.error';

interface BoundedBody {
  items?: { quantity: number }[];
  ttlSeconds?: number;
  seconds?: number;
}

/**
 * The configured bounds of a cart, a release or an extension (RESERVATION_MAX_QUANTITY per line,
 * RESERVATION_MAX_TTL_SECONDS for ttlSeconds and seconds), checked after the DTO's own rules so the answer is the
 * same 400 naming the field as any other field error. (A decorator cannot read configuration.)
 */
@Injectable()
export class HoldBoundsPipe implements PipeTransform {
  constructor(private readonly settings: ReservationSettings) {}

  transform<T extends BoundedBody>(body: T): T {
    const { maxQuantity, maxTtlSeconds } = this.settings.limits;
    const errors: FieldError[] = [];
    body.items?.forEach((line, index) => {
      if (line.quantity > maxQuantity) {
        errors.push({ field: `items.${index}.quantity`, messages: [`quantity must not be greater than ${maxQuantity}`] });
      }
    });
    for (const field of ['ttlSeconds', 'seconds'] as const) {
      const value = body[field];
      if (value !== undefined && value > maxTtlSeconds) {
        errors.push({ field, messages: [`${field} must not be greater than ${maxTtlSeconds} (RESERVATION_MAX_TTL_SECONDS)`] });
      }
    }
    if (errors.length > 0) throw new RequestValidationError(errors);
    return body;
  }
}
