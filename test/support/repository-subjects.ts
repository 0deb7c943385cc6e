import { IdempotencyRepository, InventoryRepository, ReservationRepository } from '@app/core';
import {
  InMemoryIdempotencyRepository,
  InMemoryInventoryRepository,
  InMemoryReservationRepository,
  InMemoryStore,
} from '@app/core/testing';
import { PersistenceModule } from '@app/persistence';
import { DrizzleHandle } from '@app/persistence/drizzle/drizzle-database';
import { DRIZZLE_HANDLE } from '@app/persistence/drizzle/drizzle.tokens';
import { inventoryItems } from '@app/persistence/drizzle/schema';
import { Test } from '@nestjs/testing';
import { eq } from 'drizzle-orm';
import { BackendName, createTestDatabase, sqlBackends } from './backends';

export type SubjectName = 'in-memory' | BackendName;

/** Every implementation of the ports that a contract suite must hold for. */
export function contractSubjects(): SubjectName[] {
  return ['in-memory', ...sqlBackends()];
}

type Levels = { availableQuantity?: number; reservedQuantity?: number; soldQuantity?: number };

export interface RepositorySubject {
  inventory: InventoryRepository;
  reservations: ReservationRepository;
  idempotency: IdempotencyRepository;
  /** Sets counters directly, bypassing the port, to arrange reserved or sold stock. */
  setLevels(sku: string, levels: Levels): Promise<void>;
  /** The open Drizzle handle (SQL backends only). */
  handle?: DrizzleHandle;
  close(): Promise<void>;
}

export async function openSubject(name: SubjectName): Promise<RepositorySubject> {
  if (name === 'in-memory') {
    const store = new InMemoryStore();
    const inventory = new InMemoryInventoryRepository(() => new Date(), store);
    return {
      inventory,
      reservations: new InMemoryReservationRepository(store),
      idempotency: new InMemoryIdempotencyRepository(),
      setLevels: async (sku, levels) => inventory.setLevels(sku, levels),
      close: async () => undefined,
    };
  }
  const database = await createTestDatabase(name);
  const moduleRef = await Test.createTestingModule({ imports: [PersistenceModule.forRoot(database.config)] }).compile();
  await moduleRef.init();
  const handle = moduleRef.get<DrizzleHandle>(DRIZZLE_HANDLE);
  return {
    inventory: moduleRef.get(InventoryRepository),
    reservations: moduleRef.get(ReservationRepository),
    idempotency: moduleRef.get(IdempotencyRepository),
    handle,
    setLevels: async (sku, levels) => {
      await handle.db.update(inventoryItems).set(levels).where(eq(inventoryItems.sku, sku));
    },
    close: async () => {
      await moduleRef.close();
      await database.dispose();
    },
  };
}
