import { Logger } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { INVENTORY_VALIDATOR, RESERVATION_VALIDATOR, reservationSchema } from '../mongo-schemas';
import { MIGRATE_HOLDS_TO_LINES } from '../mongo-updates';
import { prepareMongo } from './mongo-setup';
import { ExistingIndex } from './mongo-setup-plan';

/** The collections of the ledger, the outbox and webhooks, as this version creates them (no validator). */
const LEDGER_COLLECTIONS = [
  'stock_movements',
  'outbox_events',
  'webhook_endpoints',
  'webhook_deliveries',
  'webhook_attempts',
  'webhook_fanout_cursor',
];

/** The previous version's reservation_holds: its validator required top-level sku and quantity, its indexes were per SKU. */
const previousValidator = { $jsonSchema: { bsonType: 'object', required: ['sku', 'userId', 'quantity'] } };
const previousIndexes: ExistingIndex[] = [
  { name: '_id_', key: { _id: 1 } },
  { name: 'reservations_client_idempotency_key_unique', key: { clientId: 1, idempotencyKey: 1 }, unique: true },
  { name: 'reservations_due', key: { expiresAt: 1 }, partialFilterExpression: { status: 'RESERVED' } },
  { name: 'reservations_sku_status', key: { sku: 1, status: 1 } },
  { name: 'reservations_sku_due', key: { sku: 1, expiresAt: 1 }, partialFilterExpression: { status: 'RESERVED' } },
  { name: 'reservations_sku_user_active', key: { sku: 1, userId: 1 }, partialFilterExpression: { status: 'RESERVED' } },
  { name: 'reservations_finished', key: { finishedAt: 1 }, partialFilterExpression: { finishedAt: { $type: 'date' } } },
  { name: 'reservations_purge_ttl', key: { purgeAt: 1 }, expireAfterSeconds: 0 },
];
const currentIndexes: ExistingIndex[] = [
  { name: '_id_', key: { _id: 1 } },
  ...(reservationSchema.indexes() as [Record<string, 1>, { name: string }][]).map(([key, options]) => ({ key, ...options })),
];

/** A stand-in for the database that records every command prepareMongo sends (no server), in order. */
function recordingDb(validator: object, indexes: ExistingIndex[], migration: () => Promise<{ modifiedCount: number }>) {
  const calls: unknown[][] = [];
  const db = {
    admin: () => ({ command: async () => ({ setName: 'rs0' }) }),
    listCollections: () => ({
      toArray: async () => [
        { name: 'inventory_items', options: { validator: INVENTORY_VALIDATOR } },
        { name: 'reservation_holds', options: { validator } },
        { name: 'idempotency_records', options: {} },
        { name: 'api_keys', options: {} },
        ...LEDGER_COLLECTIONS.map((name) => ({ name, options: {} })),
      ],
    }),
    createCollection: async (name: string) => void calls.push(['createCollection', name]),
    command: async (command: { collMod: string }) => void calls.push(['collMod', command]),
    collection: (name: string) => ({
      collectionName: name,
      listIndexes: () => ({ toArray: async () => (name === 'reservation_holds' ? indexes : []) }),
      createIndex: async (_key: object, options: { name: string }) => void calls.push(['createIndex', options.name]),
      dropIndex: async (index: string) => void calls.push(['dropIndex', index]),
      updateMany: async (filter: object, update: object) => {
        calls.push(['updateMany', filter, update]);
        return 'items' in filter ? migration() : { modifiedCount: 0 };
      },
    }),
  } as unknown as mongo.Db;
  return { db, calls };
}

const models = [{ collection: { collectionName: 'reservation_holds' }, schema: reservationSchema }];

describe(prepareMongo.name, () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("should upgrade a previous version's holds: validator, new indexes, obsolete ones dropped, then lines, then clientId", async () => {
    const { db, calls } = recordingDb(previousValidator, previousIndexes, async () => ({ modifiedCount: 3 }));
    await prepareMongo(db, models);
    expect(calls).toEqual([
      ['collMod', { collMod: 'reservation_holds', validator: RESERVATION_VALIDATOR, validationLevel: 'strict' }],
      ['createIndex', 'reservations_line_sku_status'],
      ['createIndex', 'reservations_line_sku_due'],
      ['createIndex', 'reservations_line_sku_user_active'],
      ['createIndex', 'reservations_created'],
      ['createIndex', 'reservations_user_created'],
      ['dropIndex', 'reservations_sku_status'],
      ['dropIndex', 'reservations_sku_due'],
      ['dropIndex', 'reservations_sku_user_active'],
      ['updateMany', MIGRATE_HOLDS_TO_LINES.filter, MIGRATE_HOLDS_TO_LINES.update],
      ['updateMany', { clientId: null }, { $set: { clientId: 'anonymous' } }],
    ]);
  });

  it('should change nothing but run the (then empty) data steps on a database already upgraded', async () => {
    const { db, calls } = recordingDb(structuredClone(RESERVATION_VALIDATOR), currentIndexes, async () => ({ modifiedCount: 0 }));
    await prepareMongo(db, models);
    expect(calls.map(([command]) => command)).toEqual(['updateMany', 'updateMany']);
  });

  it('should stop startup with what to do when the previous validator stays and refuses the migration (121)', async () => {
    const refused = Object.assign(new Error('Document failed validation'), { code: 121 });
    const { db, calls } = recordingDb(previousValidator, previousIndexes, () => Promise.reject(refused));
    await expect(prepareMongo(db, models)).rejects.toThrow(/migrate the holds of reservation_holds to lines.*dbAdmin/);
    expect(calls.at(-1)?.[0]).toBe('updateMany');
  });
});
