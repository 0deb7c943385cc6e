import { PGlite } from '@electric-sql/pglite';
import { HoldFinish, InventoryRepository, isConsistent, Reservation, ReservationRepository } from '@app/core';
import { PersistenceModule } from '@app/persistence';
import { PGLITE_OPTIONS } from '@app/persistence/drizzle/drizzle-handle/pglite-options';
import { Test, TestingModule } from '@nestjs/testing';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BackendName, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';

const MIGRATIONS = join(__dirname, '../../libs/persistence/src/drizzle/migrations');
/** The last migration of the single-SKU schema (reservations.sku and reservations.quantity). */
const PREVIOUS_SCHEMA = '0005_api_keys';

const T0 = new Date('2026-01-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const finishAt = (seconds: number): HoldFinish => ({ now: at(seconds), retainUntil: at(seconds + 3600) });

/** Holds as the previous schema stored them: one SKU and quantity each, in every state. */
const OLD_HOLDS = [
  { id: '00000000-0000-4000-8000-000000000001', sku: 'MIG-X', quantity: 2, status: 'RESERVED', expires: 600, finished: null },
  { id: '00000000-0000-4000-8000-000000000002', sku: 'MIG-Y', quantity: 1, status: 'RESERVED', expires: 600, finished: null },
  { id: '00000000-0000-4000-8000-000000000003', sku: 'MIG-Y', quantity: 3, status: 'RESERVED', expires: 60, finished: null },
  { id: '00000000-0000-4000-8000-000000000004', sku: 'MIG-X', quantity: 4, status: 'CONFIRMED', expires: 600, finished: 30 },
  { id: '00000000-0000-4000-8000-000000000005', sku: 'MIG-Y', quantity: 1, status: 'CANCELLED', expires: 600, finished: 40 },
  { id: '00000000-0000-4000-8000-000000000006', sku: 'MIG-X', quantity: 5, status: 'EXPIRED', expires: 20, finished: 50 },
] as const;

/** What each of them must read as through the port after the migration: a one-line hold, everything else the same. */
const expected = (old: (typeof OLD_HOLDS)[number], n: number): Reservation => ({
  id: old.id,
  userId: `user-${n}`,
  items: [{ sku: old.sku, quantity: old.quantity }],
  status: old.status,
  expiresAt: at(old.expires),
  clientId: n % 2 === 0 ? 'anonymous' : 'client-a',
  idempotencyKey: `key-${n}`,
  createdAt: T0,
  finishedAt: old.finished === null ? null : at(old.finished),
});

const OLD_DATA = [
  // X: 2 reserved, 4 sold of 20; Y: 1 + 3 reserved of 20 (the 3 due, not yet swept).
  `INSERT INTO inventory_items
     (sku, product_name, total_quantity, available_quantity, reserved_quantity, sold_quantity, created_at, updated_at)
   VALUES ('MIG-X', 'X', 20, 14, 2, 4, '${T0.toISOString()}', '${T0.toISOString()}'),
          ('MIG-Y', 'Y', 20, 16, 4, 0, '${T0.toISOString()}', '${T0.toISOString()}')`,
  ...OLD_HOLDS.map((old, n) => {
    const hold = expected(old, n);
    const finished = hold.finishedAt ? `'${hold.finishedAt.toISOString()}'` : 'NULL';
    return `INSERT INTO reservations (id, sku, user_id, quantity, status, expires_at, idempotency_key, created_at, client_id, finished_at)
            VALUES ('${old.id}', '${old.sku}', '${hold.userId}', ${old.quantity}, '${old.status}', '${hold.expiresAt.toISOString()}',
                    '${hold.idempotencyKey}', '${T0.toISOString()}', '${hold.clientId}', ${finished})`;
  }),
];

/** A copy of the migrations folder whose journal ends at `last`: what a database of that schema was migrated with. */
function migrationsUpTo(last: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'migrations-'));
  mkdirSync(join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((entry) => entry.tag === last);
  if (upTo < 0) throw new Error(`no migration ${last}`);
  const entries = journal.entries.slice(0, upTo + 1);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) copyFileSync(join(MIGRATIONS, `${tag}.sql`), join(folder, `${tag}.sql`));
  return folder;
}

/** Writes the old data into a database migrated only up to the previous schema; returns the config to open it with. */
async function databaseOfPreviousSchema(backend: BackendName): Promise<{ database: TestDatabase; cleanup: () => void }> {
  const migrationsFolder = migrationsUpTo(PREVIOUS_SCHEMA);
  const cleanups = [() => rmSync(migrationsFolder, { recursive: true, force: true })];
  const cleanup = () => cleanups.forEach((run) => run());
  try {
    if (backend === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'pglite-migration-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const client = new PGlite({ ...PGLITE_OPTIONS, dataDir });
      try {
        await migratePglite(drizzlePglite(client), { migrationsFolder });
        for (const statement of OLD_DATA) await client.query(statement);
      } finally {
        await client.close();
      }
      return { database: { config: { kind: 'pglite', dataDir }, dispose: async () => undefined }, cleanup };
    }
    const database = await createTestDatabase(backend);
    if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const client = new Client({ connectionString: database.config.url });
    await client.connect();
    try {
      await migrateNodePg(drizzleNodePg(client), { migrationsFolder });
      for (const statement of OLD_DATA) await client.query(statement);
    } finally {
      await client.end();
    }
    return { database, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

describeEachBackend('Migration to cart holds (reservation_lines)', ['pglite', 'postgres'], (backend) => {
  let moduleRef: TestingModule;
  let database: TestDatabase;
  let cleanup: () => void;
  let holds: ReservationRepository;
  let inventory: InventoryRepository;

  beforeAll(async () => {
    ({ database, cleanup } = await databaseOfPreviousSchema(backend));
    // Opening the service's persistence runs every migration left: 0006 moves the holds into lines.
    moduleRef = await Test.createTestingModule({ imports: [PersistenceModule.forRoot(database.config)] }).compile();
    await moduleRef.init();
    holds = moduleRef.get(ReservationRepository);
    inventory = moduleRef.get(InventoryRepository);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await database?.dispose();
    cleanup?.();
  });

  it('should read every hold of the previous schema as the same hold with one line', async () => {
    for (const [n, old] of OLD_HOLDS.entries()) expect(await holds.findById(old.id)).toEqual(expected(old, n));
  });

  it('should find a migrated hold by its client and idempotency key', async () => {
    const old = expected(OLD_HOLDS[1], 1);
    const retry = { ...old, id: '00000000-0000-4000-8000-0000000000ff', items: [{ sku: 'MIG-Y', quantity: 9 }] };
    expect(await holds.tryReserve(retry)).toEqual({ status: 'duplicate_key', existing: old });
  });

  it('should keep the counters consistent with the migrated lines', async () => {
    expect(await holds.reconcile('MIG-X')).toMatchObject({
      reservedQuantity: 2,
      heldByActiveReservations: 2,
      soldByConfirmedReservations: 4,
    });
    expect(await holds.reconcile('MIG-Y')).toMatchObject({ reservedQuantity: 4, heldByActiveReservations: 4 });
    for (const sku of ['MIG-X', 'MIG-Y']) expect(isConsistent((await holds.reconcile(sku))!)).toBe(true);
  });

  it('should confirm, cancel and expire migrated holds, moving their stock once', async () => {
    expect(await holds.confirmIfActive(OLD_HOLDS[0].id, finishAt(100))).toMatchObject({ status: 'CONFIRMED' });
    expect(await holds.cancelIfActive(OLD_HOLDS[1].id, finishAt(100))).toMatchObject({ status: 'CANCELLED' });
    expect(await holds.expireDue(finishAt(100), 10, ['MIG-Y'])).toBe(1);
    expect(await holds.findById(OLD_HOLDS[2].id)).toMatchObject({ status: 'EXPIRED', finishedAt: at(100) });
    expect(await holds.confirmIfActive(OLD_HOLDS[3].id, finishAt(100))).toBeNull();
    expect(await inventory.findBySku('MIG-X')).toMatchObject({ availableQuantity: 14, reservedQuantity: 0, soldQuantity: 6 });
    expect(await inventory.findBySku('MIG-Y')).toMatchObject({ availableQuantity: 20, reservedQuantity: 0, soldQuantity: 0 });
    for (const sku of ['MIG-X', 'MIG-Y']) expect(isConsistent((await holds.reconcile(sku))!)).toBe(true);
  });
});
