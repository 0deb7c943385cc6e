import { StockMovement } from './stock-movement';

/** Port for reading the stock ledger. Movements are written by the inventory and reservation adapters, never here. */
export abstract class StockLedgerRepository {
  /** The SKU's movements newest first: at most `limit`, only those with an id below `beforeId` when given. */
  abstract movementsOf(sku: string, limit: number, beforeId: number | null): Promise<StockMovement[]>;
}
