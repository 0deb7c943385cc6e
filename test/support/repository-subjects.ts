import {
  ApiKeyRepository,
  EventFeedRepository,
  IdempotencyRepository,
  InventoryRepository,
  ReservationRepository,
  StockLedgerRepository,
  WebhookRepository,
} from '@app/core';
import {
  InMemoryApiKeyRepository,
  InMemoryEventFeedRepository,
  InMemoryIdempotencyRepository,
  InMemoryInventoryRepository,
  InMemoryReservationRepository,
  InMemoryStockLedgerRepository,
  InMemoryStore,
  InMemoryWebhookRepository,
} from '@app/core/testing';
import { PersistenceModule } from '@app/persistence';
import { DrizzleHandle } from '@app/persistence/drizzle/drizzle-handle/database';
import { DRIZZLE_HANDLE } from '@app/persistence/drizzle/drizzle.tokens';
import type { MongoHandle } from '@app/persistence/mongo/mongo-handle/database';
import { hiddenEvents } from '@app/persistence/mongo/mongo-event-feed';
import { MONGO_FEED_VISIBILITY_MS, MONGO_HANDLE } from '@app/persistence/mongo/mongo.tokens';
import { Test } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { ALL_BACKENDS, BackendName, createTestDatabase, describeEachBackend } from './backends';
import { forceStockLevels, Levels } from './stock-levels';
import { waitFor } from './wait-for';

export type SubjectName = 'in-memory' | BackendName;

/** Registers a contract suite for the in-memory fake and every adapter (skipped where a backend is missing). */
export function describeEachSubject(title: string, body: (subject: SubjectName) => void): void {
  describe(`${title} (in-memory)`, () => body('in-memory'));
  describeEachBackend(title, ALL_BACKENDS, body);
}

export interface RepositorySubject {
  inventory: InventoryRepository;
  reservations: ReservationRepository;
  idempotency: IdempotencyRepository;
  apiKeys: ApiKeyRepository;
  ledger: StockLedgerRepository;
  events: EventFeedRepository;
  webhooks: WebhookRepository;
  /**
   * Waits until every outbox event written so far can be read from the feed. PostgreSQL shows an event only once no
   * older transaction is open anywhere on the server (other test files' and processes' included); the fake at once.
   * MongoDB: its feed shows events once older than a visibility window (10 s in service; shortened to
   * MONGO_TEST_FEED_VISIBILITY_MS here), so this waits until no event is younger than the window.
   */
  settleFeed(): Promise<void>;
  /** Sets counters directly, bypassing the port, to arrange reserved or sold stock. */
  setLevels(sku: string, levels: Levels): Promise<void>;
  /** The open Drizzle handle (SQL backends only). */
  handle?: DrizzleHandle;
  /** The open Mongo handle (MongoDB only). */
  mongo?: MongoHandle;
  close(): Promise<void>;
}

export async function openSubject(name: SubjectName): Promise<RepositorySubject> {
  if (name === 'in-memory') {
    const store = new InMemoryStore();
    const inventory = new InMemoryInventoryRepository(store);
    return {
      inventory,
      reservations: new InMemoryReservationRepository(store),
      idempotency: new InMemoryIdempotencyRepository(store),
      apiKeys: new InMemoryApiKeyRepository(),
      ledger: new InMemoryStockLedgerRepository(store),
      events: new InMemoryEventFeedRepository(store),
      webhooks: new InMemoryWebhookRepository(store),
      setLevels: async (sku, levels) => inventory.setLevels(sku, levels),
      settleFeed: async () => undefined,
      close: async () => undefined,
    };
  }
  const database = await createTestDatabase(name);
  const moduleRef = await Test.createTestingModule({ imports: [PersistenceModule.forRoot(database.config)] })
    .overrideProvider(MONGO_FEED_VISIBILITY_MS)
    .useValue(MONGO_TEST_FEED_VISIBILITY_MS)
    .compile();
  await moduleRef.init();
  const handle = name === 'mongo' ? undefined : moduleRef.get<DrizzleHandle>(DRIZZLE_HANDLE);
  return {
    inventory: moduleRef.get(InventoryRepository),
    reservations: moduleRef.get(ReservationRepository),
    idempotency: moduleRef.get(IdempotencyRepository),
    apiKeys: moduleRef.get(ApiKeyRepository),
    ledger: moduleRef.get(StockLedgerRepository),
    events: moduleRef.get(EventFeedRepository),
    webhooks: moduleRef.get(WebhookRepository),
    handle,
    mongo: name === 'mongo' ? moduleRef.get<MongoHandle>(MONGO_HANDLE) : undefined,
    setLevels: (sku, levels) => forceStockLevels(moduleRef, name, sku, levels),
    settleFeed: () => (handle ? outboxSettled(handle) : mongoOutboxSettled(moduleRef.get<MongoHandle>(MONGO_HANDLE))),
    close: async () => {
      await moduleRef.close();
      await database.dispose();
    },
  };
}

const MONGO_TEST_FEED_VISIBILITY_MS = 1_000;

async function mongoOutboxSettled(mongo: MongoHandle): Promise<void> {
  const settled = await waitFor(
    async () => (await mongo.outbox.findOne(hiddenEvents(new Date(Date.now() - MONGO_TEST_FEED_VISIBILITY_MS)))) === null,
    30_000,
  );
  if (!settled) throw new Error('outbox events still younger than the feed visibility window after 30 s');
}

async function outboxSettled(handle: DrizzleHandle): Promise<void> {
  const settled = await waitFor(async () => {
    const [row] = await handle.rows<{ hidden: boolean }>(
      sql`SELECT EXISTS (SELECT 1 FROM outbox_events WHERE tx_id >= pg_snapshot_xmin(pg_current_snapshot())) AS hidden`,
    );
    return !row.hidden;
  }, 30_000);
  if (!settled) throw new Error('outbox events still hidden behind an open transaction after 30 s');
}
