import { INVENTORY_VALIDATOR, OBSOLETE_INDEXES, RESERVATION_VALIDATOR, reservationSchema, VALIDATORS } from '../mongo-schemas';
import { collectionSteps, defaultIndexName, ExistingIndex, indexSteps, originalServiceNotice, WantedIndex } from './mongo-setup-plan';

const LEDGER_COLLECTIONS = [
  'stock_movements',
  'outbox_events',
  'webhook_endpoints',
  'webhook_deliveries',
  'webhook_attempts',
  'webhook_fanout_cursor',
];

describe(collectionSteps.name, () => {
  it('should create every missing collection, with its validator where it has one', () => {
    expect(collectionSteps(new Map(), VALIDATORS)).toEqual([
      { name: 'inventory_items', action: 'create', validator: INVENTORY_VALIDATOR },
      { name: 'reservation_holds', action: 'create', validator: RESERVATION_VALIDATOR },
      { name: 'idempotency_records', action: 'create' },
      { name: 'api_keys', action: 'create' },
      { name: 'stock_movements', action: 'create' },
      { name: 'outbox_events', action: 'create' },
      { name: 'webhook_endpoints', action: 'create' },
      { name: 'webhook_deliveries', action: 'create' },
      { name: 'webhook_attempts', action: 'create' },
      { name: 'webhook_fanout_cursor', action: 'create' },
    ]);
  });

  it('should give an existing collection its validator when it has none (as an older version created it)', () => {
    const existing = new Map<string, { validator?: unknown }>([
      ['inventory_items', {}],
      ['reservation_holds', {}],
      ['idempotency_records', {}],
      ['api_keys', {}],
      ...LEDGER_COLLECTIONS.map((name): [string, { validator?: unknown }] => [name, {}]),
    ]);
    expect(collectionSteps(existing, VALIDATORS).map((s) => [s.name, s.action])).toEqual([
      ['inventory_items', 'set_validator'],
      ['reservation_holds', 'set_validator'],
    ]);
  });

  it('should replace a different validator and leave an equal one alone', () => {
    const existing = new Map<string, { validator?: unknown }>([
      ['inventory_items', { validator: { $jsonSchema: { bsonType: 'object' } } }],
      ['reservation_holds', { validator: structuredClone(RESERVATION_VALIDATOR) }],
      ['idempotency_records', {}],
      ['api_keys', {}],
      ...LEDGER_COLLECTIONS.map((name): [string, { validator?: unknown }] => [name, {}]),
    ]);
    expect(collectionSteps(existing, VALIDATORS)).toEqual([
      { name: 'inventory_items', action: 'set_validator', validator: INVENTORY_VALIDATOR },
    ]);
  });
});

describe(indexSteps.name, () => {
  const due: WantedIndex = [{ expiresAt: 1 }, { name: 'reservations_due', partialFilterExpression: { status: 'RESERVED' } }];
  const ttl: WantedIndex = [{ purgeAt: 1 }, { name: 'purge_ttl', expireAfterSeconds: 0 }];
  const id: ExistingIndex = { name: '_id_', key: { _id: 1 } };

  it('should build missing indexes and leave matching ones alone', () => {
    const existing: ExistingIndex[] = [
      id,
      { name: 'reservations_due', key: { expiresAt: 1 }, partialFilterExpression: { status: 'RESERVED' } },
    ];
    expect(indexSteps([due, ttl], existing)).toEqual([
      { action: 'create', name: 'purge_ttl', key: { purgeAt: 1 }, options: { expireAfterSeconds: 0 } },
    ]);
  });

  it('should drop and rebuild an index whose key, uniqueness or partial filter changed (instead of failing with 85/86)', () => {
    const changed: ExistingIndex[] = [{ name: 'reservations_due', key: { expiresAt: 1 }, partialFilterExpression: { status: 'ACTIVE' } }];
    expect(indexSteps([due], changed)).toEqual([
      { action: 'drop', name: 'reservations_due' },
      { action: 'create', name: 'reservations_due', key: { expiresAt: 1 }, options: { partialFilterExpression: { status: 'RESERVED' } } },
    ]);
    const unique: WantedIndex = [{ key: 1 }, { name: 'k', unique: true }];
    expect(indexSteps([unique], [{ name: 'k', key: { key: 1 } }]).map((s) => s.action)).toEqual(['drop', 'create']);
    expect(indexSteps([unique], [{ name: 'k', key: { key: -1 }, unique: true }]).map((s) => s.action)).toEqual(['drop', 'create']);
    expect(indexSteps([[{ a: 1, b: 1 }, { name: 'ab' }]], [{ name: 'ab', key: { b: 1, a: 1 } }]).map((s) => s.action)).toEqual([
      'drop',
      'create',
    ]);
  });

  it('should retune a changed TTL in place, and rebuild when a TTL is added or removed', () => {
    expect(indexSteps([ttl], [{ name: 'purge_ttl', key: { purgeAt: 1 }, expireAfterSeconds: 3600 }])).toEqual([
      { action: 'set_ttl', name: 'purge_ttl', expireAfterSeconds: 0 },
    ]);
    expect(indexSteps([ttl], [{ name: 'purge_ttl', key: { purgeAt: 1 } }]).map((s) => s.action)).toEqual(['drop', 'create']);
  });

  it("should drop an index of the same key under another name before building the schema's, and ignore unknown indexes", () => {
    const existing: ExistingIndex[] = [id, { name: 'expiresAt_1', key: { expiresAt: 1 } }, { name: 'ops_own', key: { userId: 1 } }];
    expect(indexSteps([[{ expiresAt: 1 }, { name: 'by_expiry' }]], existing)).toEqual([
      { action: 'drop', name: 'expiresAt_1' },
      { action: 'create', name: 'by_expiry', key: { expiresAt: 1 }, options: {} },
    ]);
  });

  it('should drop the obsolete indexes that exist, after building what replaces them, and leave the others alone', () => {
    const bySkuStatus: WantedIndex = [{ 'items.sku': 1, status: 1 }, { name: 'line_sku_status' }];
    const existing: ExistingIndex[] = [id, { name: 'sku_status', key: { sku: 1, status: 1 } }, { name: 'ops_own', key: { userId: 1 } }];
    expect(indexSteps([bySkuStatus], existing, ['sku_status', 'sku_due'])).toEqual([
      { action: 'create', name: 'line_sku_status', key: { 'items.sku': 1, status: 1 }, options: {} },
      { action: 'drop', name: 'sku_status' },
    ]);
    expect(indexSteps([bySkuStatus], [id], ['sku_status'])).toEqual([
      { action: 'create', name: 'line_sku_status', key: { 'items.sku': 1, status: 1 }, options: {} },
    ]);
  });

  it('should never drop as obsolete an index the schema declares, nor drop one twice', () => {
    const due: WantedIndex = [{ expiresAt: 1 }, { name: 'due' }];
    expect(indexSteps([due], [{ name: 'due', key: { expiresAt: 1 } }], ['due'])).toEqual([]);
    expect(indexSteps([due], [{ name: 'due', key: { expiresAt: -1 } }], ['due']).map((s) => s.action)).toEqual(['drop', 'create']);
    const old: ExistingIndex = { name: 'old', key: { expiresAt: 1 } };
    expect(indexSteps([due], [old], ['old'])).toEqual([
      { action: 'drop', name: 'old' },
      { action: 'create', name: 'due', key: { expiresAt: 1 }, options: {} },
    ]);
  });

  it("should turn a database of single-SKU holds' indexes into the cart holds' ones", () => {
    const before: ExistingIndex[] = [
      id,
      { name: 'reservations_client_idempotency_key_unique', key: { clientId: 1, idempotencyKey: 1 }, unique: true },
      { name: 'reservations_idempotency_key_unique', key: { idempotencyKey: 1 }, unique: true },
      { name: 'reservations_due', key: { expiresAt: 1 }, partialFilterExpression: { status: 'RESERVED' } },
      { name: 'reservations_sku_status', key: { sku: 1, status: 1 } },
      { name: 'reservations_sku_due', key: { sku: 1, expiresAt: 1 }, partialFilterExpression: { status: 'RESERVED' } },
      { name: 'reservations_sku_user_active', key: { sku: 1, userId: 1 }, partialFilterExpression: { status: 'RESERVED' } },
      { name: 'reservations_finished', key: { finishedAt: 1 }, partialFilterExpression: { finishedAt: { $type: 'date' } } },
      { name: 'reservations_purge_ttl', key: { purgeAt: 1 }, expireAfterSeconds: 0 },
    ];
    const steps = indexSteps(reservationSchema.indexes() as WantedIndex[], before, OBSOLETE_INDEXES.reservation_holds);
    expect(steps.map((s) => [s.action, s.name])).toEqual([
      ['create', 'reservations_line_sku_status'],
      ['create', 'reservations_line_sku_due'],
      ['create', 'reservations_line_sku_user_active'],
      ['create', 'reservations_created'],
      ['create', 'reservations_user_created'],
      ['drop', 'reservations_idempotency_key_unique'],
      ['drop', 'reservations_sku_status'],
      ['drop', 'reservations_sku_due'],
      ['drop', 'reservations_sku_user_active'],
    ]);
  });

  it('should name an unnamed index as the driver does', () => {
    expect(defaultIndexName({ createdAt: 1 })).toBe('createdAt_1');
    expect(defaultIndexName({ sku: 1, status: -1 })).toBe('sku_1_status_-1');
    expect(indexSteps([[{ createdAt: 1 }, {}]], [{ name: 'createdAt_1', key: { createdAt: 1 } }])).toEqual([]);
  });

  it('should find nothing to do for the declared schema on a database built from it', () => {
    const built: ExistingIndex[] = (reservationSchema.indexes() as WantedIndex[]).map(([key, options]) => ({
      key,
      ...options,
      name: options.name!,
    }));
    expect(indexSteps(reservationSchema.indexes() as WantedIndex[], [id, ...built])).toEqual([]);
  });
});

describe(originalServiceNotice.name, () => {
  it("should point to the import when the original's inventories exist and ours do not", () => {
    expect(originalServiceNotice(['inventories', 'reservations'])).toMatch(/original service's 'inventories'.*npm run import:original/);
  });

  it("should stay silent once our collections exist, or on a database without the original's data", () => {
    expect(originalServiceNotice(['inventories', 'reservations', 'inventory_items'])).toBeNull();
    expect(originalServiceNotice(['reservations'])).toBeNull();
    expect(originalServiceNotice([])).toBeNull();
  });
});
