import { StockLedgerRepository, StockMovement } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { toStockMovement } from './mongo-mappers';
import { MONGO_HANDLE } from './mongo.tokens';

@Injectable()
export class MongoStockLedgerRepository extends StockLedgerRepository {
  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  /** Served by the index (sku, id desc). */
  async movementsOf(sku: string, limit: number, beforeId: number | null): Promise<StockMovement[]> {
    const docs = await this.handle.movements
      .find(beforeId === null ? { sku } : { sku, id: { $lt: beforeId } })
      .sort({ id: -1 })
      .limit(limit)
      .toArray();
    return docs.map(toStockMovement);
  }
}
