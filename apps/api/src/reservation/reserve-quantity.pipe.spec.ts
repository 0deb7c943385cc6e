import { ReservationSettings } from '@app/core';
import { RequestValidationError } from '../common/request-validation.error';
import { ReserveQuantityPipe } from './reserve-quantity.pipe';

describe(ReserveQuantityPipe.name, () => {
  const pipe = new ReserveQuantityPipe(new ReservationSettings(300, 3600, { maxQuantity: 5, maxPerCustomer: null, maxTtlSeconds: 3600 }));
  const body = (quantity: number) => ({ sku: 'A', userId: 'u', quantity });

  it('should pass a quantity up to the configured maximum', () => {
    expect(pipe.transform(body(5))).toEqual(body(5));
  });

  it('should answer a larger one with a 400 naming quantity and the maximum', () => {
    const error = (() => {
      try {
        pipe.transform(body(6));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).fieldErrors).toEqual([
      { field: 'quantity', messages: ['quantity must not be greater than 5'] },
    ]);
  });
});
