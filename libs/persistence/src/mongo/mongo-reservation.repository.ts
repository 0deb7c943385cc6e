import {
  HoldFinish,
  NewReservation,
  reconciliationOf,
  Reservation,
  reservationNamed,
  ReservationRepository,
  ReserveResult,
  StockReconciliation,
  stockOf,
} from '@app/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { mongo } from 'mongoose';
import type { MongoHandle } from './mongo-handle/database';
import { isDuplicateKey, translateTransactionError } from './mongo-errors';
import { toReservation, toReservationDocument } from './mongo-mappers';
import { dueHolds, expireHolds, holdTransition, reserveStock, stockMovement, Transition, unitsOf } from './mongo-updates';
import { MONGO_HANDLE } from './mongo.tokens';

/**
 * Each state change touches the hold and its SKU's stock, so it runs in one short transaction (boundedTransaction:
 * the driver's withTransaction, no attempt started after a few seconds). Inside it the hold is written first and the
 * SKU's inventory document last, with a guarded update, so the hot document is held by an uncommitted write only from
 * that update to the commit. A transaction that keeps losing write conflicts ends as 409 CONCURRENT_MODIFICATION
 * (translateTransactionError), a failover as 503, never as a 500.
 */
@Injectable()
export class MongoReservationRepository extends ReservationRepository {
  private readonly logger = new Logger(MongoReservationRepository.name);

  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  async tryReserve(hold: NewReservation, defaultMaxPerCustomer: number | null = null): Promise<ReserveResult> {
    const doc = toReservationDocument(hold);
    const stock = reserveStock(hold.sku, hold.quantity, hold.createdAt);
    let outcome: 'reserved' | 'short' | ReserveResult;
    try {
      outcome = await this.handle.transaction(async (session) => {
        // 1. The hold: its unique idempotency key refuses a second hold before any stock is touched (11000).
        await this.handle.reservations.insertOne(doc, { session });
        // 2. The guarded stock write on the SKU's (hot) document; for an uncapped SKU nothing runs after it but the commit.
        const item = await this.handle.inventory.findOneAndUpdate(stock.filter, stock.update, { session });
        if (!item) {
          // Short or unknown SKU: roll the hold back now. withTransaction returns without committing (its step 8).
          await session.abortTransaction();
          return 'short';
        }
        const cap = item.maxPerCustomer ?? defaultMaxPerCustomer;
        if (cap !== null) {
          // Safe under concurrency: every reserve, confirm, cancel and expiry of this SKU writes its stock document
          // in its transaction, and two transactions writing one document conflict (WriteConflict, a
          // TransientTransactionError) unless one committed before the other's snapshot was taken; withTransaction
          // (node_modules/mongodb/lib/sessions.js, ClientSession.withTransaction, step 7.2) then reruns the loser from
          // the start with a new snapshot. So this snapshot holds every hold of the SKU committed before, and none
          // can commit until this transaction ends. The count includes the hold inserted in step 1.
          const heldByCustomer = (await this.activeUnitsOf(hold, session)) - hold.quantity;
          if (heldByCustomer + hold.quantity > cap) {
            await session.abortTransaction();
            return { status: 'customer_limit', maxPerCustomer: cap, heldByCustomer } as const;
          }
        }
        return 'reserved';
      });
    } catch (error) {
      if (!isDuplicateKey(error)) translateTransactionError(error, stockOf(hold.sku));
      const existing = await this.handle.reservations.findOne({ clientId: hold.clientId, idempotencyKey: hold.idempotencyKey });
      if (!existing) throw error;
      return { status: 'duplicate_key', existing: toReservation(existing) };
    }
    if (outcome === 'reserved') return { status: 'reserved', reservation: toReservation(doc) };
    // A retry whose first attempt took the last units (or the customer's last allowance) must find its hold.
    const existing = await this.handle.reservations.findOne({ clientId: hold.clientId, idempotencyKey: hold.idempotencyKey });
    if (existing) return { status: 'duplicate_key', existing: toReservation(existing) };
    if (outcome !== 'short') return outcome;
    const [item, due] = await Promise.all([
      this.handle.inventory.findOne({ _id: hold.sku }, { projection: { availableQuantity: 1 } }),
      this.handle.reservations.findOne(dueHolds(hold.createdAt, hold.sku), { projection: { _id: 1 } }),
    ]);
    return item
      ? { status: 'insufficient', availableQuantity: item.availableQuantity, dueHolds: due !== null }
      : { status: 'sku_not_found' };
  }

  /** Units of the customer's active holds of the SKU (RESERVED, not due at the hold's time), read in `session`. */
  private async activeUnitsOf(hold: NewReservation, session: mongo.ClientSession): Promise<number> {
    const [sum] = await this.handle.reservations
      .aggregate<{ units: number }>(
        [
          { $match: { sku: hold.sku, userId: hold.userId, status: 'RESERVED', expiresAt: { $gt: hold.createdAt } } },
          { $group: { _id: null, units: { $sum: '$quantity' } } },
        ],
        { session },
      )
      .toArray();
    return sum?.units ?? 0;
  }

  async findById(id: string): Promise<Reservation | null> {
    const doc = await this.handle.reservations.findOne({ _id: id });
    return doc ? toReservation(doc) : null;
  }

  confirmIfActive(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition('confirm', id, finish);
  }

  cancelIfActive(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition('cancel', id, finish);
  }

  expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition('expire', id, finish);
  }

  /**
   * One transaction per SKU, never per hold: the SKU's due holds are read, set EXPIRED by one updateMany guarded on
   * RESERVED and due, and their units returned by one guarded $inc of their sum. A full sweep visits the SKUs with
   * due holds, oldest first, and logs and skips a SKU that fails, so one bad SKU never stops the others.
   */
  async expireDue(finish: HoldFinish, limit: number, sku?: string): Promise<number> {
    if (sku !== undefined) return this.expireDueOfSku(sku, finish, limit);
    const skus = await this.handle.reservations
      .aggregate<{ _id: string }>([
        { $match: dueHolds(finish.now) },
        { $group: { _id: '$sku', oldest: { $min: '$expiresAt' } } },
        { $sort: { oldest: 1, _id: 1 } },
        { $limit: limit },
      ])
      .toArray();
    let expired = 0;
    for (const { _id: due } of skus) {
      if (expired >= limit) break;
      try {
        expired += await this.expireDueOfSku(due, finish, limit - expired);
      } catch (error) {
        this.logger.warn(`Could not expire the due holds of SKU '${due}'; skipped until the next sweep: ${String(error)}`);
      }
    }
    return expired;
  }

  private async expireDueOfSku(sku: string, finish: HoldFinish, limit: number): Promise<number> {
    return this.handle
      .transaction(async (session) => {
        const due = await this.handle.reservations
          .find(dueHolds(finish.now, sku), { session, projection: { _id: 1, quantity: 1 } })
          .sort({ expiresAt: 1 })
          .limit(limit)
          .toArray();
        if (due.length === 0) return 0;
        const holds = expireHolds(
          due.map((d) => d._id),
          finish.now,
          finish.retainUntil,
        );
        const { modifiedCount } = await this.handle.reservations.updateMany(holds.filter, holds.update, { session });
        // In the transaction's snapshot every hold just read is still RESERVED; one changed since conflicts (and is retried).
        if (modifiedCount !== due.length) {
          throw new Error(`Expired ${modifiedCount} of ${due.length} due holds of '${sku}'; expiry aborted`);
        }
        const movement = stockMovement('expire', sku, unitsOf(due), finish.now);
        const moved = await this.handle.inventory.updateOne(movement.filter, movement.update, { session });
        if (moved.matchedCount !== 1) {
          throw new Error(`Stock of '${sku}' does not hold its due holds' ${unitsOf(due)} units; expiry aborted`);
        }
        return due.length;
      })
      .catch((error: unknown) => translateTransactionError(error, stockOf(sku)));
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

  /** Counters and sums read in one snapshot transaction, so they are consistent with each other. */
  async reconcile(sku: string): Promise<StockReconciliation | null> {
    return this.handle
      .transaction(
        async (session) => {
          const item = await this.handle.inventory.findOne({ _id: sku }, { session });
          if (!item) return null;
          const sums = await this.handle.reservations
            .aggregate<{ _id: string; quantity: number }>(
              [
                { $match: { sku, status: { $in: ['RESERVED', 'CONFIRMED'] } } },
                { $group: { _id: '$status', quantity: { $sum: '$quantity' } } },
              ],
              { session },
            )
            .toArray();
          const sum = (status: string) => sums.find((s) => s._id === status)?.quantity ?? 0;
          return reconciliationOf({ ...item, sku: item._id }, sum('RESERVED'), sum('CONFIRMED'));
        },
        { readConcern: { level: 'snapshot' } },
      )
      .catch((error: unknown) => translateTransactionError(error, stockOf(sku)));
  }

  /** The finished hold carries `finish.retainUntil` as purgeAt, when the TTL index deletes it. */
  private async transition(transition: Transition, id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.handle
      .transaction(async (session) => {
        const { filter, update } = holdTransition(transition, id, finish.now, finish.retainUntil);
        const hold = await this.handle.reservations.findOneAndUpdate(filter, update, { session, returnDocument: 'after' });
        if (!hold) return null;
        // The SKU's (hot) document last, just before the commit.
        const movement = stockMovement(transition, hold.sku, hold.quantity, finish.now);
        const moved = await this.handle.inventory.updateOne(movement.filter, movement.update, { session });
        // Aborts the transaction: a hold must never change state without its stock moving with it.
        if (moved.matchedCount !== 1) throw new Error(`Stock of '${hold.sku}' does not hold reservation '${id}'; transition aborted`);
        return toReservation(hold);
      })
      .catch((error: unknown) => translateTransactionError(error, reservationNamed(id)));
  }
}
