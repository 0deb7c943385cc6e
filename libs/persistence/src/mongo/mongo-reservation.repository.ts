import {
  ANONYMOUS_CLIENT_ID,
  ChangeContext,
  EventType,
  HoldFinish,
  HoldLine,
  HoldListFilter,
  HoldListPosition,
  isActive,
  LedgerSums,
  MovementType,
  NO_STOCK,
  linesAfterRelease,
  NewReservation,
  RaceSubject,
  reconciliationOf,
  ReleaseResult,
  Reservation,
  reservationNamed,
  ReservationRepository,
  OutcomeRecord,
  RecordDeclinedSignal,
  ReserveResult,
  ResponseRecord,
  StockReconciliation,
  stockOf,
  StockShortage,
  unitsOfSku,
} from '@app/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { isDatabaseUnavailableError } from '../database-unavailable';
import type { MongoHandle } from './mongo-handle/database';
import { ChangeRecords, CounterChange, CounterStep, holdLineDeltas, insertRecords, stepsOf } from './mongo-change-records';
import { InventoryDocument, StoredReservationDocument } from './mongo-documents';
import { HOLD_LIST_SORT, holdListFilter } from './mongo-hold-list';
import { isDuplicateKey, translateTransactionError } from './mongo-errors';
import { linesOf, toOutcomeDocument, toRecordedDocument, toReservation, toReservationDocument } from './mongo-mappers';
import {
  cancelWholeHold,
  customerUnitsPipeline,
  dueHolds,
  expireHolds,
  extendHold,
  holdTransition,
  ledgerSumsPipeline,
  lineSumsPipeline,
  reserveStock,
  shrinkHold,
  stockWrites,
  Transition,
} from './mongo-updates';
import { MONGO_HANDLE } from './mongo.tokens';

/** Due holds expired together in one transaction: each SKU's stock document is written once per batch, not per hold. */
export const EXPIRY_BATCH_HOLDS = 20;
/** A refused cart whose stock was freed before its reason was read is tried again, this many times in all (as the SQL adapter). */
export const RESERVE_ATTEMPTS = 3;
/** Short when tried, every line fitting when asked why, each time: stock is churning; no line can be named as short. */
const STOCK_FREED_MEANWHILE: ReserveResult = { status: 'insufficient', shortages: [], dueHolds: false };

/** The movement and event of each way a hold ends. */
const ENDINGS: Record<Transition, { movement: MovementType; event: EventType }> = {
  confirm: { movement: 'confirmed', event: 'reservation.confirmed' },
  cancel: { movement: 'cancelled', event: 'reservation.cancelled' },
  expire: { movement: 'expired', event: 'reservation.expired' },
};

/** How a reserve's transaction ended when it did not hold the cart. */
type ReserveAttempt =
  | { status: 'reserved' }
  /** The request's idempotency record exists already: nothing was written. */
  | { status: 'key_recorded' }
  /** The guarded $inc on a line's SKU matched nothing: short, or no such SKU. */
  | { status: 'short' }
  | Extract<ReserveResult, { status: 'customer_limit' }>;

/**
 * Each state change touches the hold and the stock of each of its lines, so it runs in one short transaction
 * (boundedTransaction: the driver's withTransaction, no attempt started after a few seconds). A transaction that keeps
 * losing write conflicts ends as 409 CONCURRENT_MODIFICATION (translateTransactionError), a failover as 503, never 500.
 *
 * Why this shape, given how MongoDB handles contention: a write to a document that another open transaction has
 * written does not wait for it; it fails at once with WriteConflict, a TransientTransactionError, and withTransaction
 * reruns the whole callback after a backoff (node_modules/mongodb/lib/sessions.js, ClientSession.withTransaction, steps
 * 2.1 and 7.2). Contention therefore costs whole attempts, and the odds of losing one grow with how long a hot SKU's
 * document stays written but uncommitted. So inside every transaction the hold is written first (its own document,
 * cold; on reserve its unique key refuses a duplicate before any stock is touched), and the SKUs' inventory documents
 * last, each with one guarded $inc, in SKU byte order (the order of a hold's canonical lines). Nothing follows them but
 * the commit, or, when a per-customer cap applies, one aggregation. The fixed order means two carts sharing SKUs meet
 * on the first SKU they share, where the later one fails before it has written any SKU the other needs; in any other
 * order each could hold one SKU the other needs and both would be rerun. A short line aborts at once, before later
 * SKUs are written; everything a refusal reports is read after the abort, outside the transaction, holding nothing.
 * The ledger's movements and the outbox's events go into the same transaction (ChangeRecords, insertRecords): every
 * guarded $inc also increments the SKU's ledgerSequence and returns the document after it, which gives the movement
 * its id and the threshold events their counters, so they can only be inserted after the stock writes. They are
 * inserts into cold collections (no other transaction writes those documents), two more statements before the commit.
 * Not chosen: a $inc per line without a transaction, undone by compensating writes on a short line, because a crash
 * between them loses units and readers see half a cart; a read-then-write check, because the guarded $inc is already
 * the check and the write in one.
 */
@Injectable()
export class MongoReservationRepository extends ReservationRepository {
  private readonly logger = new Logger(MongoReservationRepository.name);

  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  async tryReserve(hold: NewReservation, defaultMaxPerCustomer: number | null = null, record?: ResponseRecord): Promise<ReserveResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.reserveOnce(hold, defaultMaxPerCustomer, record);
      if (result !== 'freed') return result;
      if (attempt === RESERVE_ATTEMPTS) return STOCK_FREED_MEANWHILE;
    }
  }

  /** One transaction; 'freed' when it was refused but every line fits when asked why (see refusal). */
  private async reserveOnce(
    hold: NewReservation,
    defaultMaxPerCustomer: number | null,
    record: ResponseRecord | undefined,
  ): Promise<ReserveResult | 'freed'> {
    const doc = toReservationDocument(hold);
    let outcome: ReserveAttempt;
    try {
      outcome = await this.handle.transaction(async (session): Promise<ReserveAttempt> => {
        // 0. The request's idempotency record, complete (unique scope+key): one already there ends the attempt, nothing
        // written. The server has aborted the transaction on the write error; abortTransaction ends it on this side
        // (its errors are ignored: mongodb/lib/sessions.js abortTransaction), and withTransaction returns (its step 8).
        if (record) {
          try {
            await this.handle.idempotency.insertOne(toRecordedDocument(record), { session });
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
            await session.abortTransaction();
            return { status: 'key_recorded' };
          }
        }
        // 1. The hold: its unique idempotency key refuses a second hold before any stock is touched (11000).
        await this.handle.reservations.insertOne(doc, { session });
        // 2. The guarded stock write of each line, in SKU byte order; the first that matches nothing ends the attempt.
        const caps = new Map<string, number>();
        const steps: CounterStep[] = [];
        for (const line of hold.items) {
          const stock = reserveStock(line.sku, line.quantity, hold.createdAt);
          const item = await this.handle.inventory.findOneAndUpdate(stock.filter, stock.update, { session, returnDocument: 'after' });
          if (!item) {
            // Short or unknown SKU: roll back the hold and the lines before it. withTransaction returns without committing (its step 8).
            await session.abortTransaction();
            return { status: 'short' };
          }
          steps.push(...stepsOf(item, [holdLineDeltas('reserved', line.quantity)]));
          const cap = item.maxPerCustomer ?? defaultMaxPerCustomer;
          if (cap !== null) caps.set(line.sku, cap);
        }
        // 3. The caps, checked only after every line's stock is taken, so a shortage is reported before a cap.
        const overCap = caps.size > 0 ? await this.firstLineOverCap(hold, caps, session) : null;
        if (overCap) {
          await session.abortTransaction();
          return overCap;
        }
        // 4. Its movements and events.
        const records = new ChangeRecords();
        const context: ChangeContext = { actor: hold.clientId === ANONYMOUS_CLIENT_ID ? null : hold.clientId };
        const changes = steps.map((step) =>
          records.movement(step, { type: 'reserved', at: hold.createdAt, reservationId: hold.id, context }),
        );
        records.holdEvent('reservation.created', toReservation(doc), changes, hold.createdAt);
        await insertRecords(this.handle, records, session);
        return { status: 'reserved' };
      });
    } catch (error) {
      if (!isDuplicateKey(error)) translateTransactionError(error, stockOfLines(hold.items));
      const existing = await this.findByKey(hold);
      if (!existing) throw error;
      return { status: 'duplicate_key', existing };
    }
    if (outcome.status === 'reserved') return { status: 'reserved', reservation: toReservation(doc) };
    if (outcome.status === 'key_recorded') return outcome;
    // A retry whose first attempt took the last units (or the customer's last allowance) must find its hold.
    const existing = await this.findByKey(hold);
    if (existing) return { status: 'duplicate_key', existing };
    return outcome.status === 'short' ? this.refusal(hold) : outcome;
  }

  /**
   * The first line (SKU byte order) that would take the customer past its SKU's cap, counting the units of that SKU in
   * the customer's other active holds, read in `session` with one aggregation for all capped lines. Safe under
   * concurrency: every hold that adds or returns units of a SKU (reserve, confirm, cancel, expiry, release) writes that
   * SKU's stock document in its transaction, as this one just did, and two transactions writing one document conflict
   * unless one committed before the other's snapshot was taken; withTransaction then reruns the loser with a new
   * snapshot. So this snapshot holds every hold of these SKUs committed before, and none can commit until this ends.
   */
  private async firstLineOverCap(
    hold: NewReservation,
    caps: Map<string, number>,
    session: mongo.ClientSession,
  ): Promise<Extract<ReserveResult, { status: 'customer_limit' }> | null> {
    const sums = await this.handle.reservations
      .aggregate<{ _id: string; units: number }>(customerUnitsPipeline(hold, [...caps.keys()]), { session })
      .toArray();
    const held = new Map(sums.map((sum) => [sum._id, sum.units]));
    for (const line of hold.items) {
      const cap = caps.get(line.sku);
      if (cap === undefined) continue;
      const heldByCustomer = held.get(line.sku) ?? 0;
      if (heldByCustomer + line.quantity > cap) return { status: 'customer_limit', sku: line.sku, maxPerCustomer: cap, heldByCustomer };
    }
    return null;
  }

  /**
   * Why the transaction refused the cart, read after its abort: every SKU of the hold once (every missing one, else every
   * short line), then whether a due hold with a line of a short SKU exists. 'freed' when every line fits by now: the
   * stock was freed in between, and the cart is tried again.
   */
  private async refusal(hold: NewReservation): Promise<ReserveResult | 'freed'> {
    const items = await this.handle.inventory
      .find({ _id: { $in: hold.items.map((line) => line.sku) } }, { projection: { availableQuantity: 1 } })
      .toArray();
    const available = new Map(items.map((item) => [item._id, item.availableQuantity]));
    const missing = hold.items.filter((line) => !available.has(line.sku)).map((line) => line.sku);
    if (missing.length > 0) return { status: 'sku_not_found', missing };
    const shortageOf = (line: HoldLine): StockShortage => ({
      sku: line.sku,
      requested: line.quantity,
      available: available.get(line.sku)!,
    });
    const shortages = hold.items.map(shortageOf).filter((line) => line.available < line.requested);
    if (shortages.length === 0) return 'freed';
    const due = await this.handle.reservations.findOne(
      dueHolds(
        hold.createdAt,
        shortages.map((line) => line.sku),
      ),
      { projection: { _id: 1 } },
    );
    return { status: 'insufficient', shortages, dueHolds: due !== null };
  }

  private async findByKey(hold: NewReservation): Promise<Reservation | null> {
    const existing = await this.handle.reservations.findOne({ clientId: hold.clientId, idempotencyKey: hold.idempotencyKey });
    return existing ? toReservation(existing) : null;
  }

  async findById(id: string): Promise<Reservation | null> {
    const doc = await this.handle.reservations.findOne({ _id: id });
    return doc ? toReservation(doc) : null;
  }

  /** One find, sorted and limited on the server; see holdListFilter for the indexes. */
  async listForAdmin(filter: HoldListFilter, limit: number, after: HoldListPosition | null): Promise<Reservation[]> {
    const docs = await this.handle.reservations.find(holdListFilter(filter, after)).sort(HOLD_LIST_SORT).limit(limit).toArray();
    return docs.map(toReservation);
  }

  confirmIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null> {
    return this.transition('confirm', id, finish, context, record);
  }

  cancelIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null> {
    return this.transition('cancel', id, finish, context, record);
  }

  expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition('expire', id, finish);
  }

  /** One guarded statement on the hold's document (extendHold) and its event, in one transaction; no stock moves. */
  async extendIfActive(id: string, seconds: number, maxLifetimeSeconds: number, now: Date): Promise<Reservation | null> {
    return this.handle
      .transaction(async (session) => {
        const { filter, update } = extendHold(id, seconds, maxLifetimeSeconds, now);
        const doc = await this.handle.reservations.findOneAndUpdate(filter, update, { session, returnDocument: 'after' });
        if (!doc) return null;
        const reservation = toReservation(doc);
        const records = new ChangeRecords();
        records.holdEvent('reservation.extended', reservation, [], now);
        await insertRecords(this.handle, records, session);
        return reservation;
      })
      .catch((error: unknown) => translateTransactionError(error, reservationNamed(id)));
  }

  /**
   * One transaction: the hold read in it, the release checked against its lines, the hold shrunk (or cancelled when
   * nothing is left) with a guard on the lines read, then the released units returned, SKU documents last, in SKU byte
   * order. A concurrent change to the hold after this snapshot conflicts with the write and reruns the whole attempt.
   */
  async releaseIfActive(id: string, lines: HoldLine[], finish: HoldFinish, context?: ChangeContext): Promise<ReleaseResult> {
    return this.handle
      .transaction(async (session): Promise<ReleaseResult> => {
        const stored = await this.handle.reservations.findOne({ _id: id }, { session });
        if (!stored || !isActive(toReservation(stored), finish.now)) return { status: 'not_active' };
        const held = linesOf(stored);
        const after = linesAfterRelease(held, lines);
        if (after.status === 'exceeds') return after;
        const { filter, update } =
          after.lines.length === 0 ? cancelWholeHold(stored, finish.now, finish.retainUntil) : shrinkHold(stored, after.lines, finish.now);
        const changed = await this.handle.reservations.findOneAndUpdate(filter, update, { session, returnDocument: 'after' });
        // The snapshot's own document: only a bug can make the guard miss it. Throwing aborts, so nothing moves.
        if (!changed) throw new Error(`Reservation '${id}' did not match its own lines; release aborted`);
        const whole = after.lines.length === 0;
        const released = whole ? held : lines;
        const stock = await this.moveStock('cancel', released, finish.now, session, `reservation '${id}'`);
        const reservation = toReservation(changed);
        const records = new ChangeRecords();
        const changes = this.appendMovements(
          records,
          [stored],
          stock,
          whole ? 'cancelled' : 'released',
          finish.now,
          context,
          () => released,
        );
        records.holdEvent(whole ? 'reservation.cancelled' : 'reservation.released', reservation, changes[0], finish.now);
        await insertRecords(this.handle, records, session);
        return { status: 'released', reservation };
      })
      .catch((error: unknown) => translateTransactionError(error, reservationNamed(id)));
  }

  /**
   * A hold spans SKUs, so expiry goes by holds: the oldest due ones (with a line of one of `skus` when given), expired
   * EXPIRY_BATCH_HOLDS at a time in one transaction that returns the units of all their lines, one guarded $inc per
   * SKU. A batch that fails is retried hold by hold, and a hold that fails on its own is logged and skipped until the
   * next sweep, so one hold whose stock is off never stops the others. Only an unreachable database ends the sweep.
   */
  async expireDue(finish: HoldFinish, limit: number, skus?: readonly string[]): Promise<number> {
    const due = await this.handle.reservations
      .find(dueHolds(finish.now, skus), { projection: { _id: 1 } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .toArray();
    let expired = 0;
    for (let first = 0; first < due.length; first += EXPIRY_BATCH_HOLDS) {
      expired += await this.expireBatch(
        due.slice(first, first + EXPIRY_BATCH_HOLDS).map((hold) => hold._id),
        finish,
      );
    }
    return expired;
  }

  private async expireBatch(ids: string[], finish: HoldFinish): Promise<number> {
    try {
      return await this.expireTogether(ids, finish);
    } catch (error) {
      if (isDatabaseUnavailableError(error)) throw error;
    }
    let expired = 0;
    for (const id of ids) {
      try {
        if (await this.expireIfDue(id, finish)) expired++;
      } catch (error) {
        if (isDatabaseUnavailableError(error)) throw error;
        this.logger.warn(`Could not expire reservation '${id}'; skipped until the next sweep: ${String(error)}`);
      }
    }
    return expired;
  }

  /**
   * The holds among `ids` still RESERVED and due, read in the transaction's snapshot, set EXPIRED by one guarded
   * updateMany, then the units of all their lines returned. A concurrent sweep that expired some of them first
   * conflicts, and the rerun reads them no longer due, so it may expire fewer, or none.
   */
  private expireTogether(ids: string[], finish: HoldFinish): Promise<number> {
    return this.handle.transaction(async (session) => {
      const { filter } = expireHolds(ids, finish.now, finish.retainUntil);
      const holds = await this.handle.reservations.find(filter, { session }).toArray();
      if (holds.length === 0) return 0;
      const expire = expireHolds(
        holds.map((hold) => hold._id),
        finish.now,
        finish.retainUntil,
      );
      const { modifiedCount } = await this.handle.reservations.updateMany(expire.filter, expire.update, { session });
      if (modifiedCount !== holds.length) throw new Error(`Expired ${modifiedCount} of ${holds.length} due holds; expiry aborted`);
      const stock = await this.moveStock('expire', holds.flatMap(linesOf), finish.now, session, `${holds.length} due holds`);
      const records = new ChangeRecords();
      const changes = this.appendMovements(records, holds, stock, 'expired', finish.now, undefined, linesOf);
      holds.forEach((hold, index) => {
        const expired = toReservation({ ...hold, status: 'EXPIRED', finishedAt: finish.now, purgeAt: finish.retainUntil });
        records.holdEvent('reservation.expired', expired, changes[index], finish.now);
      });
      await insertRecords(this.handle, records, session);
      return holds.length;
    });
  }

  /** The partial index reservations_due (expiresAt, RESERVED only) answers this from its first entry. */
  async oldestDueExpiry(now: Date): Promise<Date | null> {
    const oldest = await this.handle.reservations.findOne(
      { status: 'RESERVED', expiresAt: { $lte: now } },
      { sort: { expiresAt: 1 }, projection: { expiresAt: 1 } },
    );
    return oldest ? oldest.expiresAt : null;
  }

  async purgeFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const doomed = await this.handle.reservations
      .find({ finishedAt: { $type: 'date', $lt: cutoff } }, { projection: { _id: 1 } })
      .sort({ finishedAt: 1 })
      .limit(limit)
      .toArray();
    if (doomed.length === 0) return 0;
    const ids = doomed.map((d) => d._id);
    const result = await this.handle.reservations.deleteMany({ _id: { $in: ids }, finishedAt: { $type: 'date', $lt: cutoff } });
    return result.deletedCount;
  }

  /**
   * Counters, the sums of the SKU's lines and the sums of its movements read in one snapshot transaction, so they are
   * consistent with each other.
   */
  async reconcile(sku: string): Promise<StockReconciliation | null> {
    return this.handle
      .transaction(
        async (session) => {
          const item = await this.handle.inventory.findOne({ _id: sku }, { session });
          if (!item) return null;
          const sums = await this.handle.reservations
            .aggregate<{ _id: string; quantity: number }>(lineSumsPipeline(sku), { session })
            .toArray();
          const sum = (status: string) => sums.find((s) => s._id === status)?.quantity ?? 0;
          const [ledger] = await this.handle.movements.aggregate<LedgerSums>(ledgerSumsPipeline(sku), { session }).toArray();
          return reconciliationOf({ ...item, sku: item._id }, sum('RESERVED'), sum('CONFIRMED'), ledger ?? NO_STOCK);
        },
        { readConcern: { level: 'snapshot' } },
      )
      .catch((error: unknown) => translateTransactionError(error, stockOf(sku)));
  }

  /** The finished hold carries `finish.retainUntil` as purgeAt, when the TTL index deletes it. */
  private async transition(
    transition: Transition,
    id: string,
    finish: HoldFinish,
    context?: ChangeContext,
    record?: OutcomeRecord,
  ): Promise<Reservation | null> {
    const outcome = await this.handle
      .transaction(async (session): Promise<Reservation | 'key_recorded' | null> => {
        const { filter, update } = holdTransition(transition, id, finish.now, finish.retainUntil);
        const hold = await this.handle.reservations.findOneAndUpdate(filter, update, { session, returnDocument: 'after' });
        if (!hold) return null;
        const reservation = toReservation(hold);
        if (record && !(await this.insertOutcome(record, reservation, session))) return 'key_recorded';
        const stock = await this.moveStock(transition, reservation.items, finish.now, session, `reservation '${id}'`);
        const { movement, event } = ENDINGS[transition];
        const records = new ChangeRecords();
        const [changes] = this.appendMovements(records, [hold], stock, movement, finish.now, context, linesOf);
        records.holdEvent(event, reservation, changes, finish.now);
        await insertRecords(this.handle, records, session);
        return reservation;
      })
      .catch((error: unknown) => translateTransactionError(error, reservationNamed(id)));
    if (outcome === 'key_recorded') throw new RecordDeclinedSignal(record!.key);
    return outcome;
  }

  /**
   * The request's idempotency record holding the ended hold, in the transition's transaction. False when the key is
   * recorded already: the server aborted the transaction on the write error, abortTransaction ends it here (its errors
   * ignored, mongodb/lib/sessions.js), and withTransaction returns without committing (its step 8).
   */
  private async insertOutcome(record: OutcomeRecord, reservation: Reservation, session: mongo.ClientSession): Promise<boolean> {
    try {
      await this.handle.idempotency.insertOne(toOutcomeDocument(record, reservation), { session });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await session.abortTransaction();
      return false;
    }
  }

  /**
   * The stock of `lines` moved for `transition`, one guarded $inc per SKU in SKU byte order, after the holds' own
   * writes (the hot documents last). A guard that matches nothing throws, which aborts the transaction: a hold never
   * changes state or lines without its stock moving with it. Returns each SKU's document after its write.
   */
  private async moveStock(
    transition: Transition,
    lines: HoldLine[],
    now: Date,
    session: mongo.ClientSession,
    of: string,
  ): Promise<Map<string, InventoryDocument>> {
    const after = new Map<string, InventoryDocument>();
    for (const write of stockWrites(transition, lines, now)) {
      const moved = await this.handle.inventory.findOneAndUpdate(write.filter, write.update, { session, returnDocument: 'after' });
      if (!moved) throw new Error(`Stock of '${write.sku}' does not hold the units of ${of}; ${transition} aborted`);
      after.set(write.sku, moved);
    }
    return after;
  }

  /**
   * The movements of `holds` (in their order, each hold's in SKU order) from the documents their stock writes returned:
   * a SKU written once for several holds is unfolded hold by hold (stepsOf), so each hold's movement of it has its own
   * id and counters. Returns each hold's changes, for its event and its threshold crossings.
   */
  private appendMovements(
    records: ChangeRecords,
    holds: readonly StoredReservationDocument[],
    stock: Map<string, InventoryDocument>,
    type: MovementType,
    at: Date,
    context: ChangeContext | undefined,
    linesMoved: (hold: StoredReservationDocument) => readonly HoldLine[],
  ): CounterChange[][] {
    const steps = new Map<string, CounterStep[]>();
    for (const [sku, after] of stock) {
      const quantities = holds.map((hold) => unitsOfSku(linesMoved(hold), sku)).filter((quantity) => quantity > 0);
      steps.set(
        sku,
        stepsOf(
          after,
          quantities.map((quantity) => holdLineDeltas(type, quantity)),
        ),
      );
    }
    return holds.map((hold) =>
      linesMoved(hold).map((line) => records.movement(steps.get(line.sku)!.shift()!, { type, at, reservationId: hold._id, context })),
    );
  }
}

/** What a reserve that kept losing write conflicts raced on: its SKUs' stock (named as before for a one-line hold). */
function stockOfLines(lines: readonly HoldLine[]): RaceSubject {
  if (lines.length === 1) return stockOf(lines[0].sku);
  const skus = lines.map((line) => line.sku);
  return { description: `Stock of ${skus.map((sku) => `'${sku}'`).join(', ')}`, details: { skus } };
}
