import {
  HoldFinish,
  NewReservation,
  reconciliationOf,
  Reservation,
  ReservationRepository,
  ReservationStatus,
  ReserveResult,
  StockLevels,
  StockReconciliation,
} from '@app/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { isoTimestamp, ReservationSqlRow, toReservation } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';
import { isDeadlock, isUniqueViolation } from './pg-errors';

const SWEEP_LOCK_KEY = 72_517_002;

interface WhyNotReserved extends Record<string, unknown> {
  existing: ReservationSqlRow | null;
  available: number | null;
  capped: boolean | null;
  due: boolean;
}

/**
 * Every state change is a single SQL statement: the hold's conditional status update and the stock
 * movement are data-modifying CTEs of one statement, so they commit or fail together, and the
 * `status = 'RESERVED'` guard makes exactly one of confirm / cancel / expire win a race.
 */
@Injectable()
export class DrizzleReservationRepository extends ReservationRepository {
  private readonly logger = new Logger(DrizzleReservationRepository.name);

  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  /**
   * Without a cap (no default, and the SKU has none) a reserve is ONE statement: the guarded stock UPDATE and
   * the INSERT of the hold as CTEs. A capped reserve is a short transaction (see reserveCapped), because the
   * customer's holds must be counted AFTER the SKU's row lock is taken, and a subquery of the same statement
   * would read them from the snapshot taken before it waited for that lock.
   */
  async tryReserve(hold: NewReservation, defaultMaxPerCustomer: number | null = null): Promise<ReserveResult> {
    if (defaultMaxPerCustomer !== null) return this.reserveCapped(hold, defaultMaxPerCustomer);
    let rows: ReservationSqlRow[];
    try {
      rows = await this.handle.prepared<ReservationSqlRow>(
        'reserve_stock_and_hold',
        sql`
        WITH stock AS (
          UPDATE inventory_items
          SET available_quantity = available_quantity - ${hold.quantity}::integer,
              reserved_quantity = reserved_quantity + ${hold.quantity}::integer,
              updated_at = ${isoTimestamp(hold.createdAt)}::timestamptz
          WHERE sku = ${hold.sku} AND available_quantity >= ${hold.quantity}::integer AND max_per_customer IS NULL
          RETURNING sku
        )
        INSERT INTO reservations (id, sku, user_id, quantity, status, expires_at, client_id, idempotency_key, created_at)
        SELECT ${hold.id}::uuid, stock.sku, ${hold.userId}, ${hold.quantity}::integer, 'RESERVED',
               ${isoTimestamp(hold.expiresAt)}::timestamptz, ${hold.clientId}, ${hold.idempotencyKey},
               ${isoTimestamp(hold.createdAt)}::timestamptz
        FROM stock
        RETURNING *`,
      );
    } catch (error) {
      return this.duplicateOr(error, hold);
    }
    if (rows[0]) return { status: 'reserved', reservation: toReservation(rows[0]) };
    return this.whyNotReserved(hold, true);
  }

  /**
   * Why nothing was reserved, in one round trip. A retry whose first attempt took the last units must find
   * its hold, not a shortage; due holds tell the caller that expiring them may free stock. With `rerouteCapped`,
   * a SKU with a cap of its own and enough stock (the uncapped statement skips it) is reserved the capped way.
   */
  private async whyNotReserved(hold: NewReservation, rerouteCapped: boolean): Promise<ReserveResult> {
    const [why] = await this.rows<WhyNotReserved>(sql`
      SELECT (SELECT row_to_json(r) FROM reservations r
                      WHERE r.client_id = ${hold.clientId} AND r.idempotency_key = ${hold.idempotencyKey}) AS existing,
             i.available_quantity AS available, i.max_per_customer IS NOT NULL AS capped,
             EXISTS (SELECT 1 FROM reservations WHERE sku = ${hold.sku} AND status = 'RESERVED'
                     AND expires_at <= ${isoTimestamp(hold.createdAt)}::timestamptz) AS due
      FROM (SELECT 1) AS one LEFT JOIN inventory_items i ON i.sku = ${hold.sku}`);
    if (why.existing) return { status: 'duplicate_key', existing: toReservation(why.existing) };
    if (why.available === null) return { status: 'sku_not_found' };
    if (rerouteCapped && why.capped && why.available >= hold.quantity) return this.reserveCapped(hold, null);
    return { status: 'insufficient', availableQuantity: why.available, dueHolds: why.due };
  }

  /**
   * READ COMMITTED transaction: (1) the guarded stock UPDATE takes the SKU's row lock, which every other
   * reserve, confirm, cancel and expiry of the SKU also takes, so they are serialised from here on; (2) a NEW
   * statement sums the customer's active holds: its snapshot is taken after the lock was granted, so it sees
   * every hold committed before, and none can be added until we commit; (3) the hold is inserted in that same
   * statement only if it fits under the cap, else the transaction rolls back and the stock returns.
   * (Under REPEATABLE READ or SERIALIZABLE the UPDATE fails on a concurrent change instead: never a wrong answer.)
   */
  private async reserveCapped(hold: NewReservation, defaultMaxPerCustomer: number | null): Promise<ReserveResult> {
    const at = isoTimestamp(hold.createdAt);
    let outcome: ReserveResult | null;
    try {
      outcome = await this.handle.transaction(async (rows) => {
        const [stock] = await rows<{ cap: number | null }>(sql`
          UPDATE inventory_items
          SET available_quantity = available_quantity - ${hold.quantity}::integer,
              reserved_quantity = reserved_quantity + ${hold.quantity}::integer,
              updated_at = ${at}::timestamptz
          WHERE sku = ${hold.sku} AND available_quantity >= ${hold.quantity}::integer
          RETURNING COALESCE(max_per_customer, ${defaultMaxPerCustomer}::integer) AS cap`);
        if (!stock) return null;
        const [added] = await rows<ReservationSqlRow & { held: number }>(sql`
          WITH held AS (
            SELECT COALESCE(SUM(quantity), 0)::integer AS units FROM reservations
            WHERE sku = ${hold.sku} AND user_id = ${hold.userId} AND status = 'RESERVED' AND expires_at > ${at}::timestamptz
          ), created AS (
            INSERT INTO reservations (id, sku, user_id, quantity, status, expires_at, client_id, idempotency_key, created_at)
            SELECT ${hold.id}::uuid, ${hold.sku}, ${hold.userId}, ${hold.quantity}::integer, 'RESERVED',
                   ${isoTimestamp(hold.expiresAt)}::timestamptz, ${hold.clientId}, ${hold.idempotencyKey}, ${at}::timestamptz
            FROM held WHERE ${stock.cap}::integer IS NULL OR held.units + ${hold.quantity}::integer <= ${stock.cap}::integer
            RETURNING *
          )
          SELECT created.*, held.units AS held FROM held LEFT JOIN created ON true`);
        if (added.id !== null) return { status: 'reserved', reservation: toReservation(added) };
        throw new CustomerLimitReached({ status: 'customer_limit', maxPerCustomer: stock.cap!, heldByCustomer: added.held });
      });
    } catch (error) {
      if (!(error instanceof CustomerLimitReached)) return this.duplicateOr(error, hold);
      // A retry of a request whose hold took the customer to the cap must find that hold.
      const existing = await this.findByIdempotencyKey(hold.clientId, hold.idempotencyKey);
      return existing ? { status: 'duplicate_key', existing } : error.outcome;
    }
    return outcome ?? this.whyNotReserved(hold, false);
  }

  /** A unique violation on the idempotency key is the existing hold; anything else is rethrown. */
  private async duplicateOr(error: unknown, hold: NewReservation): Promise<ReserveResult> {
    if (!isUniqueViolation(error)) throw error;
    const existing = await this.findByIdempotencyKey(hold.clientId, hold.idempotencyKey);
    if (!existing) throw error;
    return { status: 'duplicate_key', existing };
  }

  async findById(id: string): Promise<Reservation | null> {
    const [row] = await this.rows(sql`SELECT * FROM reservations WHERE id = ${id}::uuid`);
    return row ? toReservation(row) : null;
  }

  async confirmIfActive(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(
      id,
      'CONFIRMED',
      sql`reservations.expires_at > ${isoTimestamp(finish.now)}::timestamptz`,
      finish,
      sql`reserved_quantity = inventory_items.reserved_quantity - held.quantity,
          sold_quantity = inventory_items.sold_quantity + held.quantity`,
    );
  }

  async cancelIfActive(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(id, 'CANCELLED', sql`reservations.expires_at > ${isoTimestamp(finish.now)}::timestamptz`, finish, RELEASE_STOCK);
  }

  async expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(id, 'EXPIRED', sql`reservations.expires_at <= ${isoTimestamp(finish.now)}::timestamptz`, finish, RELEASE_STOCK);
  }

  /** Finished holds are purged by `finished_at` (purgeFinishedBefore), so `finish.retainUntil` is not stored. */
  async expireDue(finish: HoldFinish, limit: number, sku?: string): Promise<number> {
    const at = isoTimestamp(finish.now);
    // A full sweep runs on one instance at a time (the others find the gate taken and skip this round): two
    // sweeps whose batches share SKUs would lock stock rows in opposite orders. A one-SKU expiry locks one row.
    const scope = sku === undefined ? sql`(SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK_KEY}::bigint))` : sql`sku = ${sku}`;
    try {
      const [row] = await this.rows<{ expired: number }>(sql`
        WITH due AS (
          SELECT id FROM reservations
          WHERE status = 'RESERVED' AND expires_at <= ${at}::timestamptz AND ${scope}
          ORDER BY expires_at
          LIMIT ${limit}::integer
          FOR UPDATE SKIP LOCKED
        ), held AS (
          UPDATE reservations SET status = 'EXPIRED', finished_at = ${at}::timestamptz
          FROM due WHERE reservations.id = due.id AND reservations.status = 'RESERVED'
          RETURNING reservations.sku, reservations.quantity
        ), returned AS (
          SELECT sku, sum(quantity)::integer AS quantity FROM held GROUP BY sku
        ), stock AS (
          UPDATE inventory_items
          SET available_quantity = inventory_items.available_quantity + returned.quantity,
              reserved_quantity = inventory_items.reserved_quantity - returned.quantity,
              updated_at = ${at}::timestamptz
          FROM returned WHERE inventory_items.sku = returned.sku
          RETURNING inventory_items.sku
        )
        SELECT count(*)::integer AS expired FROM held`);
      return row?.expired ?? 0;
    } catch (error) {
      // Two sweepers whose batches share SKUs can lock stock rows in opposite orders; PostgreSQL then
      // aborts one statement whole (nothing moved), and the next sweep picks its holds up again.
      if (!isDeadlock(error)) throw error;
      this.logger.warn('Expiry batch lost a deadlock to a concurrent sweeper; it will be retried on the next sweep');
      return 0;
    }
  }

  async oldestDueExpiry(now: Date): Promise<Date | null> {
    // ORDER BY ... LIMIT 1 (not min()) so the planner walks reservations_due_idx from its first entry.
    const [row] = await this.rows<{ expires_at: Date | string }>(sql`
      SELECT expires_at FROM reservations
      WHERE status = 'RESERVED' AND expires_at <= ${isoTimestamp(now)}::timestamptz
      ORDER BY expires_at
      LIMIT 1`);
    return row ? new Date(row.expires_at) : null;
  }

  async purgeFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const rows = await this.rows(sql`
      WITH doomed AS (
        SELECT id FROM reservations
        WHERE finished_at < ${isoTimestamp(cutoff)}::timestamptz
        ORDER BY finished_at
        LIMIT ${limit}::integer
        FOR UPDATE SKIP LOCKED
      )
      DELETE FROM reservations USING doomed WHERE reservations.id = doomed.id
      RETURNING reservations.id`);
    return rows.length;
  }

  async reconcile(sku: string): Promise<StockReconciliation | null> {
    const [row] = await this.rows<Pick<StockLevels, keyof StockLevels> & { sku: string; held: number; sold_holds: number }>(sql`
      SELECT i.sku, i.total_quantity AS "totalQuantity", i.available_quantity AS "availableQuantity",
             i.reserved_quantity AS "reservedQuantity", i.sold_quantity AS "soldQuantity",
             COALESCE(SUM(r.quantity) FILTER (WHERE r.status = 'RESERVED'), 0)::integer AS held,
             COALESCE(SUM(r.quantity) FILTER (WHERE r.status = 'CONFIRMED'), 0)::integer AS sold_holds
      FROM inventory_items i LEFT JOIN reservations r ON r.sku = i.sku
      WHERE i.sku = ${sku}
      GROUP BY i.sku`);
    return row ? reconciliationOf(row, row.held, row.sold_holds) : null;
  }

  private async findByIdempotencyKey(clientId: string, key: string): Promise<Reservation | null> {
    const [row] = await this.rows(sql`SELECT * FROM reservations WHERE client_id = ${clientId} AND idempotency_key = ${key}`);
    return row ? toReservation(row) : null;
  }

  /** RESERVED (and `guard`) -> `to`, moving the hold's stock with `stockChange`, in one statement. */
  private async transition(
    id: string,
    to: ReservationStatus,
    guard: SQL,
    finish: HoldFinish,
    stockChange: SQL,
  ): Promise<Reservation | null> {
    const at = isoTimestamp(finish.now);
    const [row] = await this.rows(sql`
      WITH held AS (
        UPDATE reservations SET status = ${to}, finished_at = ${at}::timestamptz
        WHERE reservations.id = ${id}::uuid AND reservations.status = 'RESERVED' AND ${guard}
        RETURNING *
      ), stock AS (
        UPDATE inventory_items SET ${stockChange}, updated_at = ${at}::timestamptz
        FROM held WHERE inventory_items.sku = held.sku
        RETURNING inventory_items.sku
      )
      SELECT held.* FROM held`);
    return row ? toReservation(row) : null;
  }

  private rows<T extends Record<string, unknown> = ReservationSqlRow>(query: SQL): Promise<T[]> {
    return this.handle.rows<T>(query);
  }
}

/** Rolls the capped reserve's transaction back, carrying the refusal out of it. */
class CustomerLimitReached extends Error {
  constructor(readonly outcome: ReserveResult) {
    super('customer limit reached');
  }
}

const RELEASE_STOCK = sql`available_quantity = inventory_items.available_quantity + held.quantity,
  reserved_quantity = inventory_items.reserved_quantity - held.quantity`;
