import {
  ChangeContext,
  HoldFinish,
  HoldLine,
  HoldListFilter,
  HoldListPosition,
  LedgerSums,
  linesAfterRelease,
  mergeLines,
  NewReservation,
  OutcomeRecord,
  reconciliationOf,
  RecordDeclinedSignal,
  ResponseRecord,
  ReleaseResult,
  Reservation,
  ReservationRepository,
  ReservationStatus,
  ReserveResult,
  StockLevels,
  StockReconciliation,
  StockShortage,
} from '@app/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import {
  HeldUnitsTo,
  holdExtended,
  holdItems,
  holdsEnded,
  insertHoldUnderCaps,
  releaseLines,
  reserveCart,
  reserveCartStock,
  reserveOneLine,
  returnLinesOf,
  whyNotReserved,
} from './drizzle-hold-statements';
import { holdListQuery } from './drizzle-hold-list';
import { HoldSqlRow, isoTimestamp, ReservationSqlRow, toReservation } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';
import { isDeadlock, isUniqueViolation } from './pg-errors';
import { isRecordedKey, recordOutcome } from './drizzle-response-record';

const SWEEP_LOCK_KEY = 72_517_002;
/** A refused hold whose stock was freed before its reason was read is tried again, this many times in all. */
const RESERVE_ATTEMPTS = 3;
/** Short when tried, every line fitting when asked why, each time: stock is churning; no line can be named as short. */
const STOCK_FREED_MEANWHILE: ReserveResult = { status: 'insufficient', shortages: [], dueHolds: false };

interface WhyNotReserved extends Record<string, unknown> {
  existing: ReservationSqlRow | null;
  missing: string[] | null;
  shortages: StockShortage[] | null;
  capped: boolean;
  due: boolean;
}

/** What the refusal's second round trip found: a result, or that the hold must go the capped way, or be tried again. */
type Refusal = ReserveResult | 'capped' | 'freed';

/**
 * Every state change is a single SQL statement (a release: one short transaction): the hold's conditional status
 * update and the stock movement of all its lines are data-modifying CTEs of one statement, so they commit or fail
 * together, and the `status = 'RESERVED'` guard makes exactly one of confirm / cancel / expire win a race. Inventory
 * rows are always locked in SKU byte order (see drizzle-hold-statements.ts), so holds sharing SKUs never deadlock.
 */
@Injectable()
export class DrizzleReservationRepository extends ReservationRepository {
  private readonly logger = new Logger(DrizzleReservationRepository.name);

  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  /**
   * Without a cap (no default, and no SKU of the hold has one) a hold is ONE statement (reserveOneLine, reserveCart).
   * A capped hold is a short transaction (see reserveCapped), because the customer's holds must be counted AFTER the
   * SKUs' row locks are taken, and a subquery of the same statement would read them from the snapshot taken before it
   * waited for those locks. A refusal costs one more round trip to say why.
   */
  async tryReserve(hold: NewReservation, defaultMaxPerCustomer: number | null = null, record?: ResponseRecord): Promise<ReserveResult> {
    if (defaultMaxPerCustomer !== null) return this.reserveCapped(hold, defaultMaxPerCustomer, record);
    // The statement's text differs with the record's CTE: each form is its own named prepared statement.
    const recorded = record ? '_recorded' : '';
    for (let attempt = 1; ; attempt++) {
      let rows: HoldSqlRow[];
      try {
        rows =
          hold.items.length === 1
            ? await this.handle.prepared<HoldSqlRow>(`reserve_one_line${recorded}`, reserveOneLine(hold, record))
            : await this.handle.prepared<HoldSqlRow>(`reserve_cart${recorded}`, reserveCart(hold, record));
      } catch (error) {
        // A bucketed SKU's reserve can lose a deadlock against its slow path (seen once in a race test under load; its
        // cycle is not yet understood). PostgreSQL aborted the whole statement, so nothing moved: it is run again.
        if (isDeadlock(error) && attempt < RESERVE_ATTEMPTS) {
          this.logger.warn(`A reserve of ${hold.items.map((line) => `'${line.sku}'`).join(', ')} lost a deadlock; trying again`);
          continue;
        }
        return this.duplicateOr(error, hold);
      }
      if (rows[0]) return { status: 'reserved', reservation: toReservation({ ...rows[0], items: hold.items }) };
      const why = await this.whyNotReserved(hold);
      if (why === 'capped') return this.reserveCapped(hold, null, record);
      if (why !== 'freed') return why;
      if (attempt === RESERVE_ATTEMPTS) return STOCK_FREED_MEANWHILE;
    }
  }

  /**
   * Why nothing was reserved, in one round trip. A retry whose first attempt took the last units must find its hold,
   * not a shortage; due holds tell the caller that expiring them may free stock. 'capped': every SKU exists and has
   * the units, but one has a cap of its own (the uncapped statement skips those). 'freed': no line is short any more.
   */
  private async whyNotReserved(hold: NewReservation): Promise<Refusal> {
    const [why] = await this.rows<WhyNotReserved>(whyNotReserved(hold));
    if (why.existing) return { status: 'duplicate_key', existing: toReservation(why.existing) };
    if (why.missing) return { status: 'sku_not_found', missing: why.missing };
    if (why.shortages) return { status: 'insufficient', shortages: why.shortages, dueHolds: why.due };
    return why.capped ? 'capped' : 'freed';
  }

  /**
   * READ COMMITTED transaction: (1) one statement moves every line's stock, taking the SKUs' row locks in SKU byte
   * order, which every other hold, confirm, cancel, release and expiry of those SKUs also takes, so they are
   * serialised from here on; (2) a NEW statement sums the customer's active units of each capped SKU: its snapshot is
   * taken after the locks were granted, so it sees every hold committed before, and none with a line of those SKUs
   * can be added until we commit; (3) the hold is inserted in that same statement only if every line fits under its
   * cap, else the transaction rolls back and the stock returns.
   * (Under REPEATABLE READ or SERIALIZABLE the UPDATE fails on a concurrent change instead: never a wrong answer.)
   */
  private async reserveCapped(
    hold: NewReservation,
    defaultMaxPerCustomer: number | null,
    record: ResponseRecord | undefined,
    attempt = 1,
  ): Promise<ReserveResult> {
    let outcome: ReserveResult | null;
    try {
      outcome = await this.handle.transaction(async (rows) => {
        const moved = await rows<{ sku: string; cap: number | null }>(reserveCartStock(hold, defaultMaxPerCustomer));
        // Some lines moved and a bucketed one found its buckets short: roll those back.
        if (moved.length > 0 && moved.length !== hold.items.length) throw new NothingReserved();
        if (moved.length !== hold.items.length) return null;
        const caps = new Map(moved.map((line) => [line.sku, line.cap]));
        const [added] = await rows<HoldSqlRow & UnderCaps>(insertHoldUnderCaps(hold, caps, record));
        if (added.id !== null) return { status: 'reserved', reservation: toReservation({ ...added, items: hold.items }) };
        throw new CustomerLimitReached({
          status: 'customer_limit',
          sku: added.over_sku!,
          maxPerCustomer: added.over_cap!,
          heldByCustomer: added.over_held!,
        });
      });
    } catch (error) {
      if (error instanceof CustomerLimitReached) {
        // A retry of a request whose hold took the customer to the cap must find that hold.
        const existing = await this.findByIdempotencyKey(hold.clientId, hold.idempotencyKey);
        return existing ? { status: 'duplicate_key', existing } : error.outcome;
      }
      if (!(error instanceof NothingReserved)) return this.duplicateOr(error, hold);
      outcome = null;
    }
    if (outcome) return outcome;
    const why = await this.whyNotReserved(hold);
    if (typeof why !== 'string') return why;
    return attempt < RESERVE_ATTEMPTS ? this.reserveCapped(hold, defaultMaxPerCustomer, record, attempt + 1) : STOCK_FREED_MEANWHILE;
  }

  /** A unique violation on the idempotency key is the existing hold (or record); anything else is rethrown. */
  private async duplicateOr(error: unknown, hold: NewReservation): Promise<ReserveResult> {
    if (isRecordedKey(error)) return { status: 'key_recorded' };
    if (!isUniqueViolation(error)) throw error;
    const existing = await this.findByIdempotencyKey(hold.clientId, hold.idempotencyKey);
    if (!existing) throw error;
    return { status: 'duplicate_key', existing };
  }

  async findById(id: string): Promise<Reservation | null> {
    const [row] = await this.rows(sql`SELECT r.*, ${holdItems(sql`r.id`)} AS items FROM reservations r WHERE r.id = ${id}::uuid`);
    return row ? toReservation(row) : null;
  }

  /** One statement; see holdListQuery for the indexes that serve each filter. */
  async listForAdmin(filter: HoldListFilter, limit: number, after: HoldListPosition | null): Promise<Reservation[]> {
    return (await this.rows(holdListQuery(filter, limit, after))).map(toReservation);
  }

  async confirmIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null> {
    const active = sql`reservations.expires_at > ${isoTimestamp(finish.now)}::timestamptz`;
    return this.transition(id, 'CONFIRMED', active, finish, context, record);
  }

  async cancelIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null> {
    const active = sql`reservations.expires_at > ${isoTimestamp(finish.now)}::timestamptz`;
    return this.transition(id, 'CANCELLED', active, finish, context, record);
  }

  async expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(id, 'EXPIRED', sql`reservations.expires_at <= ${isoTimestamp(finish.now)}::timestamptz`, finish, undefined);
  }

  /** One guarded UPDATE: active at `now`, and the new expiry within the lifetime counted from createdAt; with its event. */
  async extendIfActive(id: string, seconds: number, maxLifetimeSeconds: number, now: Date): Promise<Reservation | null> {
    const by = sql`make_interval(secs => ${seconds}::double precision)`;
    const [row] = await this.rows(sql`
      WITH held AS (
        UPDATE reservations SET expires_at = expires_at + ${by}
        WHERE id = ${id}::uuid AND status = 'RESERVED' AND expires_at > ${isoTimestamp(now)}::timestamptz
          AND expires_at + ${by} <= created_at + make_interval(secs => ${maxLifetimeSeconds}::double precision)
        RETURNING *
      ), lines AS (
        SELECT sku, quantity FROM reservation_lines WHERE reservation_id = (SELECT id FROM held) FOR SHARE
      ), ${holdExtended(isoTimestamp(now))}
      SELECT held.*, (SELECT json_agg(json_build_object('sku', sku, 'quantity', quantity) ORDER BY sku COLLATE "C") FROM lines) AS items
      FROM held`);
    return row ? toReservation(row) : null;
  }

  /**
   * A short READ COMMITTED transaction (not a hot path): lock the hold's row if it is active, read its lines in a new
   * statement (so after the lock: the latest), check the release against them (linesAfterRelease), then either cancel
   * the whole hold (nothing would be left) or shrink the lines and return the units in one statement.
   */
  async releaseIfActive(id: string, lines: HoldLine[], finish: HoldFinish, context?: ChangeContext): Promise<ReleaseResult> {
    const at = isoTimestamp(finish.now);
    return this.handle.transaction<ReleaseResult>(async (rows) => {
      const [hold] = await rows<HoldSqlRow>(sql`
        SELECT * FROM reservations
        WHERE id = ${id}::uuid AND status = 'RESERVED' AND expires_at > ${at}::timestamptz
        FOR UPDATE`);
      if (!hold) return { status: 'not_active' };
      const held = await rows<HoldLine & Record<string, unknown>>(sql`
        SELECT sku, quantity FROM reservation_lines WHERE reservation_id = ${id}::uuid ORDER BY sku COLLATE "C"`);
      const after = linesAfterRelease(held, lines);
      if (after.status === 'exceeds') return after;
      if (after.lines.length === 0) {
        const [cancelled] = await rows<ReservationSqlRow>(
          this.transitionStatement(id, 'CANCELLED', sql`reservations.expires_at > ${at}::timestamptz`, finish, context),
        );
        return { status: 'released', reservation: toReservation(cancelled) };
      }
      const released = mergeLines(lines);
      const [changed] = await rows<{ lines: number; skus: number }>(releaseLines(id, released, after.lines, at, context));
      // The lines were read under the hold's lock in this transaction: anything else is a broken invariant; roll back.
      if (changed.lines !== released.length || changed.skus !== released.length) throw new Error(`Release of hold ${id} did not apply`);
      return { status: 'released', reservation: toReservation({ ...hold, items: after.lines }) };
    });
  }

  /** Finished holds are purged by `finished_at` (purgeFinishedBefore), so `finish.retainUntil` is not stored. */
  async expireDue(finish: HoldFinish, limit: number, skus?: readonly string[]): Promise<number> {
    const at = isoTimestamp(finish.now);
    // A full sweep runs on one instance at a time (the others find the gate taken and skip this round), so sweepers
    // do not fight over the same due holds; a SKU-scoped expiry takes the holds with a line of those SKUs. Either way
    // the stock rows are locked in SKU byte order.
    const scope =
      skus === undefined
        ? sql`(SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK_KEY}::bigint))`
        : sql`EXISTS (SELECT 1 FROM reservation_lines l WHERE l.reservation_id = r.id AND l.sku = ANY(${sql.param([...skus])}::text[]))`;
    try {
      const [row] = await this.rows<{ expired: number }>(sql`
        WITH due AS (
          SELECT r.id FROM reservations r
          WHERE r.status = 'RESERVED' AND r.expires_at <= ${at}::timestamptz AND ${scope}
          ORDER BY r.expires_at
          LIMIT ${limit}::integer
          FOR UPDATE OF r SKIP LOCKED
        ), held AS (
          UPDATE reservations SET status = 'EXPIRED', finished_at = ${at}::timestamptz
          FROM due WHERE reservations.id = due.id AND reservations.status = 'RESERVED'
          RETURNING reservations.*
        ), ${returnLinesOf(sql`held`, at, UNITS_TO.EXPIRED)}, ${holdsEnded('expired', at, undefined)}
        SELECT count(*)::integer AS expired FROM held`);
      return row?.expired ?? 0;
    } catch (error) {
      // Locks are taken in one order, so this should not happen; if PostgreSQL ever aborts the statement to break a
      // lock cycle, nothing moved and the next sweep picks its holds up again.
      if (!isDeadlock(error)) throw error;
      this.logger.warn('Expiry batch lost a deadlock; it will be retried on the next sweep');
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

  /** Their lines go with them (ON DELETE CASCADE). */
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
    const [row] = await this.rows<
      Pick<StockLevels, keyof StockLevels> & { sku: string; held: number; sold_holds: number; ledger: LedgerSums }
    >(sql`
      SELECT i.sku, i.total_quantity AS "totalQuantity", i.available_quantity AS "availableQuantity",
             i.reserved_quantity AS "reservedQuantity", i.sold_quantity AS "soldQuantity",
             COALESCE(SUM(l.quantity) FILTER (WHERE r.status = 'RESERVED'), 0)::integer AS held,
             COALESCE(SUM(l.quantity) FILTER (WHERE r.status = 'CONFIRMED'), 0)::integer AS sold_holds,
             (SELECT json_build_object(
                       'totalQuantity', COALESCE(sum(m.total_delta), 0), 'availableQuantity', COALESCE(sum(m.available_delta), 0),
                       'reservedQuantity', COALESCE(sum(m.reserved_delta), 0), 'soldQuantity', COALESCE(sum(m.sold_delta), 0))
              FROM stock_movements m WHERE m.sku = i.sku) AS ledger
      FROM inventory_levels i
      LEFT JOIN reservation_lines l ON l.sku = i.sku
      LEFT JOIN reservations r ON r.id = l.reservation_id
      WHERE i.sku = ${sku}
      GROUP BY i.sku, i.total_quantity, i.available_quantity, i.reserved_quantity, i.sold_quantity`);
    return row ? reconciliationOf(row, row.held, row.sold_holds, row.ledger) : null;
  }

  private async findByIdempotencyKey(clientId: string, key: string): Promise<Reservation | null> {
    const [row] = await this.rows(sql`
      SELECT r.*, ${holdItems(sql`r.id`)} AS items FROM reservations r
      WHERE r.client_id = ${clientId} AND r.idempotency_key = ${key}`);
    return row ? toReservation(row) : null;
  }

  /** RESERVED (and `guard`) -> `to`, moving every line's stock with `stockChange`, in one statement. */
  private async transition(
    id: string,
    to: EndedStatus,
    guard: SQL,
    finish: HoldFinish,
    context: ChangeContext | undefined,
    record?: OutcomeRecord,
  ): Promise<Reservation | null> {
    // One text per target status (its guard and stock change follow from it), and with or without the record's CTE.
    const name = `hold_to_${to.toLowerCase()}${record ? '_recorded' : ''}`;
    let rows: ReservationSqlRow[];
    try {
      rows = await this.handle.prepared<ReservationSqlRow>(name, this.transitionStatement(id, to, guard, finish, context, record));
    } catch (error) {
      if (record && isRecordedKey(error)) throw new RecordDeclinedSignal(record.key);
      throw error;
    }
    return rows[0] ? toReservation(rows[0]) : null;
  }

  /** RESERVED (and `guard`) -> `to`, moving every line's stock, with the movements and events, in one statement. */
  private transitionStatement(
    id: string,
    to: EndedStatus,
    guard: SQL,
    finish: HoldFinish,
    context: ChangeContext | undefined,
    record?: OutcomeRecord,
  ): SQL {
    const at = isoTimestamp(finish.now);
    return sql`
      WITH held AS (
        UPDATE reservations SET status = ${to}, finished_at = ${at}::timestamptz
        WHERE reservations.id = ${id}::uuid AND reservations.status = 'RESERVED' AND ${guard}
        RETURNING *
      ), ${returnLinesOf(sql`held`, at, UNITS_TO[to])}, ${holdsEnded(MOVEMENT_OF[to], at, context)}${
        record ? sql`, ${recordOutcome(record, 'held')}` : sql``
      }
      SELECT held.*,
             (SELECT json_agg(json_build_object('sku', sku, 'quantity', quantity) ORDER BY sku COLLATE "C") FROM lines) AS items
      FROM held`;
  }

  private rows<T extends Record<string, unknown> = ReservationSqlRow>(query: SQL): Promise<T[]> {
    return this.handle.rows<T>(query);
  }
}

/** The capped insert's verdict: the first line over its cap, when the hold was refused. */
interface UnderCaps {
  over_sku: string | null;
  over_cap: number | null;
  over_held: number | null;
}

/** Rolls the capped reserve's transaction back when only some lines moved. */
class NothingReserved extends Error {
  constructor() {
    super('not every line moved');
  }
}

/** Rolls the capped reserve's transaction back, carrying the refusal out of it. */
class CustomerLimitReached extends Error {
  constructor(readonly outcome: ReserveResult) {
    super('customer limit reached');
  }
}

type EndedStatus = Exclude<ReservationStatus, 'RESERVED'>;

/** Where a hold's reserved units go when it ends; MOVEMENT_OF: the movement type that records it. */
const UNITS_TO: Record<EndedStatus, HeldUnitsTo> = { CONFIRMED: 'sold', CANCELLED: 'available', EXPIRED: 'available' };
const MOVEMENT_OF = { CONFIRMED: 'confirmed', CANCELLED: 'cancelled', EXPIRED: 'expired' } as const;
