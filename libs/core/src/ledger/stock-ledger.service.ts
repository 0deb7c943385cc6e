import { Injectable } from '@nestjs/common';
import { InvalidCursorError } from '../errors/domain-error';
import { InventoryNotFoundError } from '../inventory/inventory.errors';
import { InventoryRepository } from '../inventory/inventory.repository';
import { StockLedgerRepository } from './stock-ledger.repository';
import { StockMovement } from './stock-movement';

export interface MovementPage {
  items: StockMovement[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Reads a SKU's movements newest first, in pages with an opaque cursor. */
@Injectable()
export class StockLedgerService {
  constructor(
    private readonly ledger: StockLedgerRepository,
    private readonly inventory: InventoryRepository,
  ) {}

  async movements(sku: string, limit: number, cursor: string | null): Promise<MovementPage> {
    const beforeId = cursor === null ? null : decodeMovementCursor(cursor);
    const items = await this.ledger.movementsOf(sku, limit + 1, beforeId);
    if (items.length === 0 && beforeId === null && !(await this.inventory.findBySku(sku))) throw new InventoryNotFoundError(sku);
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? encodeMovementCursor(page[page.length - 1].id) : null };
  }
}

function encodeMovementCursor(id: number): string {
  return Buffer.from(`m:${id}`).toString('base64url');
}

function decodeMovementCursor(cursor: string): number {
  const match = /^m:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError(cursor);
  return Number(match[1]);
}
