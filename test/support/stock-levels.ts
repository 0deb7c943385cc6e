import { DrizzleHandle } from '@app/persistence/drizzle/drizzle-handle/database';
import { DRIZZLE_HANDLE } from '@app/persistence/drizzle/drizzle.tokens';
import { inventoryItems } from '@app/persistence/drizzle/schema';
import type { MongoHandle } from '@app/persistence/mongo/mongo-handle/database';
import { MONGO_HANDLE } from '@app/persistence/mongo/mongo.tokens';
import { eq } from 'drizzle-orm';
import { BackendName } from './backends';

export type Levels = { availableQuantity?: number; reservedQuantity?: number; soldQuantity?: number };

interface Container {
  get<T = unknown>(token: unknown): T;
}

/** Sets a SKU's counters directly in the database, bypassing the ports, to arrange reserved or sold stock. */
export async function forceStockLevels(container: Container, backend: BackendName, sku: string, levels: Levels): Promise<void> {
  if (backend === 'mongo') {
    await container.get<MongoHandle>(MONGO_HANDLE).inventory.updateOne({ _id: sku }, { $set: levels });
    return;
  }
  const handle = container.get<DrizzleHandle>(DRIZZLE_HANDLE);
  await handle.db.update(inventoryItems).set(levels).where(eq(inventoryItems.sku, sku));
}
