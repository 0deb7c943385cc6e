import { StockLedgerRepository, StockMovement } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { MovementSqlRow, toStockMovement } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';

/** Reads the ledger that the inventory and reservation statements append to (stock_movements_sku_id_idx, newest first). */
@Injectable()
export class DrizzleStockLedgerRepository extends StockLedgerRepository {
  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  async movementsOf(sku: string, limit: number, beforeId: number | null): Promise<StockMovement[]> {
    const before = beforeId === null ? sql`` : sql`AND id < ${beforeId}::bigint`;
    const rows = await this.handle.rows<MovementSqlRow>(sql`
      SELECT * FROM stock_movements WHERE sku = ${sku} ${before}
      ORDER BY id DESC
      LIMIT ${limit}::integer`);
    return rows.map(toStockMovement);
  }
}
