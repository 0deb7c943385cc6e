import { StockLedgerRepository } from '../ledger/stock-ledger.repository';
import { StockMovement } from '../ledger/stock-movement';
import { InMemoryStore } from './in-memory-store';

export class InMemoryStockLedgerRepository extends StockLedgerRepository {
  constructor(private readonly store: InMemoryStore) {
    super();
  }

  async movementsOf(sku: string, limit: number, beforeId: number | null): Promise<StockMovement[]> {
    return this.store.movements
      .filter((movement) => movement.sku === sku && (beforeId === null || movement.id < beforeId))
      .reverse()
      .slice(0, limit)
      .map((movement) => ({ ...movement }));
  }
}
