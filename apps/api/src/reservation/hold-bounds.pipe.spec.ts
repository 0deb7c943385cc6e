import { ReservationSettings } from '@app/core';
import { RequestValidationError } from '../common/request-validation.error';
import { HoldBoundsPipe } from './hold-bounds.pipe';

describe(HoldBoundsPipe.name, () => {
  const pipe = new HoldBoundsPipe(new ReservationSettings(300, 3600, { maxQuantity: 5, maxPerCustomer: null, maxTtlSeconds: 600 }));
  const fieldErrors = (body: object) => {
    try {
      pipe.transform(body);
    } catch (caught) {
      expect(caught).toBeInstanceOf(RequestValidationError);
      return (caught as RequestValidationError).fieldErrors;
    }
    return [];
  };

  it('should pass lines, a TTL and an extension up to the configured maximums', () => {
    const cart = { userId: 'u', items: [{ sku: 'A', quantity: 5 }], ttlSeconds: 600 };
    expect(pipe.transform(cart)).toBe(cart);
    expect(pipe.transform({ seconds: 600 })).toEqual({ seconds: 600 });
    expect(pipe.transform({ userId: 'u', items: [{ sku: 'A', quantity: 1 }] })).toEqual({
      userId: 'u',
      items: [{ sku: 'A', quantity: 1 }],
    });
  });

  it('should name every line past RESERVATION_MAX_QUANTITY and a TTL past RESERVATION_MAX_TTL_SECONDS', () => {
    expect(
      fieldErrors({
        items: [
          { sku: 'A', quantity: 6 },
          { sku: 'B', quantity: 1 },
          { sku: 'C', quantity: 7 },
        ],
        ttlSeconds: 601,
      }),
    ).toEqual([
      { field: 'items.0.quantity', messages: ['quantity must not be greater than 5'] },
      { field: 'items.2.quantity', messages: ['quantity must not be greater than 5'] },
      { field: 'ttlSeconds', messages: ['ttlSeconds must not be greater than 600 (RESERVATION_MAX_TTL_SECONDS)'] },
    ]);
    expect(fieldErrors({ seconds: 601 })).toEqual([
      { field: 'seconds', messages: ['seconds must not be greater than 600 (RESERVATION_MAX_TTL_SECONDS)'] },
    ]);
  });
});
