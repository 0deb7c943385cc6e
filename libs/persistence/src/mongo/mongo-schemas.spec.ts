import { API_KEY_SCOPES } from '@app/core';
import {
  apiKeySchema,
  idempotencySchema,
  INVENTORY_VALIDATOR,
  inventorySchema,
  LEGACY_RESERVATION_KEY_INDEX,
  RESERVATION_VALIDATOR,
  reservationSchema,
} from './mongo-schemas';

const indexes = (schema: { indexes(): [Record<string, unknown>, Record<string, any>][] }) =>
  schema.indexes().map(([fields, options]) => ({ fields, options }));

describe('mongo schemas', () => {
  it('should key inventory items by SKU (unique _id)', () => {
    expect(inventorySchema.path('_id').instance).toBe('String');
  });

  it('should index holds for uniqueness of the idempotency key per client and for the sweeper', () => {
    expect(indexes(reservationSchema).some((i) => i.options.name === LEGACY_RESERVATION_KEY_INDEX)).toBe(false);
    expect(indexes(reservationSchema)).toEqual(
      expect.arrayContaining([
        { fields: { clientId: 1, idempotencyKey: 1 }, options: expect.objectContaining({ unique: true }) },
        { fields: { expiresAt: 1 }, options: expect.objectContaining({ partialFilterExpression: { status: 'RESERVED' } }) },
        { fields: { sku: 1, status: 1 }, options: expect.anything() },
        { fields: { sku: 1, userId: 1 }, options: expect.objectContaining({ partialFilterExpression: { status: 'RESERVED' } }) },
      ]),
    );
  });

  it('should accept exactly the core reservation statuses', () => {
    expect((reservationSchema.path('status') as unknown as { enumValues: string[] }).enumValues).toEqual([
      'RESERVED',
      'CONFIRMED',
      'CANCELLED',
      'EXPIRED',
    ]);
  });

  it('should put TTL indexes only on purgeAt, which is set when data is finished', () => {
    const ttl = [...indexes(reservationSchema), ...indexes(idempotencySchema)].filter((i) => i.options.expireAfterSeconds !== undefined);
    expect(ttl).toEqual([
      { fields: { purgeAt: 1 }, options: expect.objectContaining({ expireAfterSeconds: 0 }) },
      { fields: { purgeAt: 1 }, options: expect.objectContaining({ expireAfterSeconds: 0 }) },
    ]);
    expect(indexes(reservationSchema).some((i) => 'expiresAt' in i.fields && i.options.expireAfterSeconds !== undefined)).toBe(false);
  });

  it('should make scope and key unique for idempotency records', () => {
    expect(indexes(idempotencySchema)).toEqual(
      expect.arrayContaining([{ fields: { scope: 1, key: 1 }, options: expect.objectContaining({ unique: true }) }]),
    );
  });

  it('should find API keys by a unique visible prefix and accept only the known scopes', () => {
    expect(indexes(apiKeySchema)).toEqual([
      { fields: { prefix: 1 }, options: expect.objectContaining({ unique: true, name: 'api_keys_prefix_unique' }) },
    ]);
    expect(
      (apiKeySchema.path('scopes') as unknown as { embeddedSchemaType: { enumValues: string[] } }).embeddedSchemaType.enumValues,
    ).toEqual([...API_KEY_SCOPES]);
  });

  it('should have the server enforce available + reserved + sold <= total and whole, bounded, non-negative quantities', () => {
    const [schemaRule, sumRule] = INVENTORY_VALIDATOR.$and as unknown as [Record<string, any>, Record<string, any>];
    const whole = { bsonType: ['int', 'long', 'double'], maximum: 1_000_000_000, multipleOf: 1 };
    expect(schemaRule.$jsonSchema.properties.availableQuantity).toEqual({ ...whole, minimum: 0 });
    expect(schemaRule.$jsonSchema.properties.productName).toEqual({ bsonType: 'string' });
    expect(schemaRule.$jsonSchema.required).toContain('productName');
    expect(schemaRule.$jsonSchema.properties.maxPerCustomer).toEqual({ bsonType: ['null', 'int', 'long'], minimum: 1 });
    expect(schemaRule.$jsonSchema.required).not.toContain('maxPerCustomer');
    expect(sumRule).toEqual({
      $expr: { $lte: [{ $add: ['$availableQuantity', '$reservedQuantity', '$soldQuantity'] }, '$totalQuantity'] },
    });
  });

  it('should have the server enforce the SQL constraints of holds: whole quantity > 0, known status, finished iff not RESERVED', () => {
    const whole = { bsonType: ['int', 'long', 'double'], maximum: 1_000_000_000, multipleOf: 1 };
    const [schemaRule, finishedRule] = RESERVATION_VALIDATOR.$and as unknown as [Record<string, any>, Record<string, any>];
    expect(schemaRule.$jsonSchema.properties.quantity).toEqual({ ...whole, minimum: 1 });
    expect(schemaRule.$jsonSchema.properties.status).toEqual({ enum: ['RESERVED', 'CONFIRMED', 'CANCELLED', 'EXPIRED'] });
    expect(schemaRule.$jsonSchema.required).toEqual(['sku', 'userId', 'quantity', 'status', 'expiresAt', 'idempotencyKey', 'createdAt']);
    const finishedIsNull = { $eq: [{ $ifNull: ['$finishedAt', null] }, null] };
    expect(finishedRule).toEqual({ $expr: { $eq: [{ $eq: ['$status', 'RESERVED'] }, finishedIsNull] } });
  });
});
