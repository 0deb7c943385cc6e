import { mongoErrorCode } from '@app/persistence/mongo/mongo-errors';
import { randomUUID } from 'node:crypto';
import { describeEachBackend } from '../support/backends';
import { openSubject, RepositorySubject } from '../support/repository-subjects';

const DOCUMENT_VALIDATION_FAILURE = 121;
const T0 = new Date('2026-01-06T10:00:00.000Z');

/** The MongoDB twin of sql-stock-constraints: the validators hold even against writes that bypass the adapter. */
describeEachBackend('MongoDB validators', ['mongo'], (backend) => {
  let subject: RepositorySubject;

  beforeAll(async () => {
    subject = await openSubject(backend);
    await subject.inventory.insert({ sku: 'C-1', productName: 'Constrained', totalQuantity: 10, availableQuantity: 6 }, T0);
  });
  afterAll(() => subject.close());

  const refusal = (write: Promise<unknown>) =>
    write.then(
      () => undefined,
      (error: unknown) => mongoErrorCode(error),
    );

  const inventoryViolations: [string, Record<string, unknown>][] = [
    ['negative available', { availableQuantity: -1 }],
    ['negative reserved', { reservedQuantity: -1 }],
    ['negative sold', { soldQuantity: -1 }],
    ['more than total', { reservedQuantity: 3, soldQuantity: 2 }],
    ['sums beyond the integer range', { availableQuantity: 1_000_000_000, reservedQuantity: 2_000_000_000, totalQuantity: 1_000_000_000 }],
    ['a total over the bound', { totalQuantity: 1_000_000_001 }],
    ['a fractional quantity', { availableQuantity: 2.5 }],
    ['a null product name', { productName: null }],
    ['a product name that is not a string', { productName: 42 }],
  ];

  it.each(inventoryViolations)('should reject an item with %s (121)', async (_label, fields) => {
    expect(await refusal(subject.mongo!.inventory.updateOne({ _id: 'C-1' }, { $set: fields }))).toBe(DOCUMENT_VALIDATION_FAILURE);
  });

  it('should reject an item without a product name (121)', async () => {
    expect(await refusal(subject.mongo!.inventory.updateOne({ _id: 'C-1' }, { $unset: { productName: '' } }))).toBe(
      DOCUMENT_VALIDATION_FAILURE,
    );
  });

  it('should reject a second item with the same SKU (11000)', async () => {
    const doc = {
      _id: 'C-1',
      productName: 'x',
      totalQuantity: 1,
      availableQuantity: 1,
      reservedQuantity: 0,
      soldQuantity: 0,
      createdAt: T0,
      updatedAt: T0,
    };
    expect(await refusal(subject.mongo!.inventory.insertOne(doc))).toBe(11000);
  });

  const hold = (fields: Record<string, unknown> = {}) =>
    ({
      _id: randomUUID(),
      items: [{ sku: 'C-1', quantity: 1 }],
      userId: 'u',
      status: 'RESERVED',
      expiresAt: T0,
      idempotencyKey: randomUUID(),
      createdAt: T0,
      finishedAt: null,
      purgeAt: null,
      ...fields,
    }) as never;

  const holdViolations: [string, Record<string, unknown>][] = [
    ['a zero quantity', { items: [{ sku: 'C-1', quantity: 0 }] }],
    ['a negative quantity', { items: [{ sku: 'C-1', quantity: -2 }] }],
    ['a fractional quantity', { items: [{ sku: 'C-1', quantity: 1.5 }] }],
    ['no lines', { items: [] }],
    ['no lines field at all (the shape before carts)', { items: undefined, sku: 'C-1', quantity: 1 }],
    ['more than 100 lines', { items: Array.from({ length: 101 }, (_, n) => ({ sku: `S-${n}`, quantity: 1 })) }],
    [
      'two lines of one SKU',
      {
        items: [
          { sku: 'C-1', quantity: 1 },
          { sku: 'C-1', quantity: 2 },
        ],
      },
    ],
    ['a line without a quantity', { items: [{ sku: 'C-1' }] }],
    ['an unknown status', { status: 'PENDING' }],
    ['a finished time on a RESERVED hold', { finishedAt: T0 }],
    ['no finished time on a CONFIRMED hold', { status: 'CONFIRMED', finishedAt: null }],
    ['no finished time field at all on an EXPIRED hold', { status: 'EXPIRED', finishedAt: undefined }],
    ['a SKU that is not a string', { items: [{ sku: 7, quantity: 1 }] }],
  ];

  it.each(holdViolations)('should reject a hold with %s (121)', async (_label, fields) => {
    const doc = hold(fields) as Record<string, unknown>;
    for (const key of Object.keys(doc)) if (doc[key] === undefined) delete doc[key];
    expect(await refusal(subject.mongo!.reservations.insertOne(doc as never))).toBe(DOCUMENT_VALIDATION_FAILURE);
  });

  it('should accept well-formed holds, active and finished, of one line or several', async () => {
    expect(await refusal(subject.mongo!.reservations.insertOne(hold()))).toBeUndefined();
    const cart = {
      items: [
        { sku: 'C-1', quantity: 1 },
        { sku: 'D-1', quantity: 2 },
      ],
    };
    expect(await refusal(subject.mongo!.reservations.insertOne(hold(cart)))).toBeUndefined();
    expect(await refusal(subject.mongo!.reservations.insertOne(hold({ status: 'CANCELLED', finishedAt: T0 })))).toBeUndefined();
  });
});
