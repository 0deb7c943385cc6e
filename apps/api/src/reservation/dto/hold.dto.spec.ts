import { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from '../../common/validation';
import { RequestValidationError } from '../../common/request-validation.error';
import { HoldDto } from './hold.dto';
import { ReleaseDto } from './release.dto';

describe('cart DTOs', () => {
  const pipe = createValidationPipe();
  const errorsOf = async (metatype: ArgumentMetadata['metatype'], body: unknown) => {
    try {
      await pipe.transform(body, { type: 'body', metatype });
    } catch (caught) {
      return (caught as RequestValidationError).fieldErrors;
    }
    return [];
  };
  const cart = (items: unknown, extra = {}) => ({ userId: 'u', items, ...extra });

  it('should accept a cart and build its lines', async () => {
    const body = await pipe.transform(cart([{ sku: 'A-1', quantity: 2 }], { ttlSeconds: 60 }), { type: 'body', metatype: HoldDto });
    expect(body).toBeInstanceOf(HoldDto);
    expect(body).toEqual({ userId: 'u', items: [{ sku: 'A-1', quantity: 2 }], ttlSeconds: 60 });
  });

  it.each([
    ['no items', { userId: 'u' }, [{ field: 'items', messages: ['items is required'] }]],
    ['empty items', cart([]), [{ field: 'items', messages: ['items must have 1 to 100 lines'] }]],
    [
      '101 lines',
      cart(Array.from({ length: 101 }, (_, n) => ({ sku: `S-${n}`, quantity: 1 }))),
      [{ field: 'items', messages: ['items must have 1 to 100 lines'] }],
    ],
    ['items not an array', cart('A'), [{ field: 'items', messages: ['items must be an array'] }]],
    ['a missing quantity', cart([{ sku: 'A' }]), [{ field: 'items.0.quantity', messages: ['quantity is required'] }]],
    [
      'a fractional and a string quantity',
      cart([
        { sku: 'A', quantity: 1.5 },
        { sku: 'B', quantity: '2' },
      ]),
      [
        { field: 'items.0.quantity', messages: ['quantity must be an integer'] },
        { field: 'items.1.quantity', messages: ['quantity must be an integer'] },
      ],
    ],
    ['a zero quantity', cart([{ sku: 'A', quantity: 0 }]), [{ field: 'items.0.quantity', messages: ['quantity must not be less than 1'] }]],
    [
      'a SKU with a control character',
      cart([{ sku: 'A\u0001', quantity: 1 }]),
      [{ field: 'items.0.sku', messages: ["sku must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"] }],
    ],
    [
      'an unknown line field',
      cart([{ sku: 'A', quantity: 1, price: 3 }]),
      [{ field: 'items.0.price', messages: ['property price should not exist'] }],
    ],
    [
      'a userId with a control character',
      { userId: 'u\u0007', items: [{ sku: 'A', quantity: 1 }] },
      [{ field: 'userId', messages: ['userId must not contain control characters'] }],
    ],
    [
      'a string ttlSeconds',
      cart([{ sku: 'A', quantity: 1 }], { ttlSeconds: '60' }),
      [{ field: 'ttlSeconds', messages: ['ttlSeconds must be an integer'] }],
    ],
    [
      'a null ttlSeconds',
      cart([{ sku: 'A', quantity: 1 }], { ttlSeconds: null }),
      [{ field: 'ttlSeconds', messages: ['ttlSeconds must be an integer'] }],
    ],
  ])('should name the field for %s', async (_name, body, expected) => {
    expect(await errorsOf(HoldDto, body)).toEqual(expected);
  });

  it('should refuse a line that is not an object', async () => {
    const errors = await errorsOf(HoldDto, cart([1]));
    expect(errors.map((error) => error.field)).toEqual(['items.0']);
  });

  it('should validate the lines of a release the same way', async () => {
    expect(await errorsOf(ReleaseDto, { items: [{ sku: 'A' }] })).toEqual([
      { field: 'items.0.quantity', messages: ['quantity is required'] },
    ]);
    expect(await errorsOf(ReleaseDto, { items: [] })).toEqual([{ field: 'items', messages: ['items must have 1 to 100 lines'] }]);
    expect(await errorsOf(ReleaseDto, { items: [{ sku: 'A', quantity: 1 }] })).toEqual([]);
  });
});
