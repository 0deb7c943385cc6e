import { API_KEY_SCOPES } from '@app/core';
import {
  apiKeySchema,
  idempotencySchema,
  INVENTORY_VALIDATOR,
  inventorySchema,
  LEGACY_RESERVATION_KEY_INDEX,
  OBSOLETE_INDEXES,
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
      ]),
    );
  });

  it("should index holds by their lines' SKUs (multikey), and by no top-level sku any more", () => {
    const active = expect.objectContaining({ partialFilterExpression: { status: 'RESERVED' } });
    expect(indexes(reservationSchema)).toEqual(
      expect.arrayContaining([
        { fields: { 'items.sku': 1, status: 1 }, options: expect.objectContaining({ name: 'reservations_line_sku_status' }) },
        { fields: { 'items.sku': 1, expiresAt: 1 }, options: active },
        { fields: { 'items.sku': 1, userId: 1 }, options: active },
      ]),
    );
    expect(indexes(reservationSchema).filter((i) => 'sku' in i.fields)).toEqual([]);
  });

  it("should index holds for the admin's list: newest first (createdAt, _id), and per customer", () => {
    expect(indexes(reservationSchema)).toEqual(
      expect.arrayContaining([
        { fields: { createdAt: -1, _id: -1 }, options: { name: 'reservations_created' } },
        { fields: { userId: 1, createdAt: -1, _id: -1 }, options: { name: 'reservations_user_created' } },
      ]),
    );
  });

  it('should list the indexes of single-SKU holds as obsolete, and no index the schema declares', () => {
    const declared = indexes(reservationSchema).map((i) => i.options.name as string);
    expect(OBSOLETE_INDEXES.reservation_holds).toEqual([
      LEGACY_RESERVATION_KEY_INDEX,
      'reservations_sku_status',
      'reservations_sku_due',
      'reservations_sku_user_active',
    ]);
    expect(OBSOLETE_INDEXES.reservation_holds!.filter((name) => declared.includes(name))).toEqual([]);
  });

  it('should declare lines as an array of { sku, quantity } without ids of their own', () => {
    const items = reservationSchema.path('items') as unknown as { schema: { paths: Record<string, unknown> } };
    expect(Object.keys(items.schema.paths).sort()).toEqual(['quantity', 'sku']);
    expect(reservationSchema.path('sku')).toBeUndefined();
    expect(reservationSchema.path('quantity')).toBeUndefined();
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

  it('should have the server enforce the constraints of holds: 1-100 lines, one per SKU, whole units > 0, finishedAt iff ended', () => {
    const whole = { bsonType: ['int', 'long', 'double'], maximum: 1_000_000_000, multipleOf: 1 };
    const [schemaRule, finishedRule, oneLinePerSku] = RESERVATION_VALIDATOR.$and as unknown as Record<string, any>[];
    expect(schemaRule.$jsonSchema.properties.items).toEqual({
      bsonType: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        bsonType: 'object',
        required: ['sku', 'quantity'],
        properties: { sku: { bsonType: 'string' }, quantity: { ...whole, minimum: 1 } },
      },
    });
    expect(schemaRule.$jsonSchema.properties.status).toEqual({ enum: ['RESERVED', 'CONFIRMED', 'CANCELLED', 'EXPIRED'] });
    expect(schemaRule.$jsonSchema.required).toEqual(['items', 'userId', 'status', 'expiresAt', 'idempotencyKey', 'createdAt']);
    expect(schemaRule.$jsonSchema.properties).not.toHaveProperty('sku');
    const finishedIsNull = { $eq: [{ $ifNull: ['$finishedAt', null] }, null] };
    expect(finishedRule).toEqual({ $expr: { $eq: [{ $eq: ['$status', 'RESERVED'] }, finishedIsNull] } });
    const distinctSkus = { $size: { $setUnion: ['$items.sku', []] } };
    expect(oneLinePerSku).toEqual({ $expr: { $cond: [{ $isArray: '$items' }, { $eq: [distinctSkus, { $size: '$items' }] }, true] } });
  });
});
