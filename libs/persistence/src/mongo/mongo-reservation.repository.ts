import { HoldFinish, NewReservation, reconciliationOf, Reservation, ReservationRepository, ReserveResult, StockReconciliation } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { isDuplicateKey } from './mongo-errors';
import { toReservation, toReservationDocument } from './mongo-mappers';
import { holdTransition, reserveStock, stockMovement, Transition } from './mongo-updates';
import { MONGO_HANDLE } from './mongo.tokens';

/**
 * Each state change touches the hold and its SKU's stock, so it runs in one transaction
 * (`withTransaction`, which retries transient errors and unknown commit results). Inside it,
 * the stock write is a guarded findOneAndUpdate and the hold write is conditional on status RESERVED.
 */
@Injectable()
export class MongoReservationRepository extends ReservationRepository {
  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  async tryReserve(hold: NewReservation): Promise<ReserveResult> {
    const doc = toReservationDocument(hold);
    let reserved: boolean;
    try {
      reserved = await this.handle.transaction(async (session) => {
        const { filter, update } = reserveStock(hold.sku, hold.quantity, hold.createdAt);
        const stock = await this.handle.inventory.findOneAndUpdate(filter, update, { session });
        if (!stock) return false;
        await this.handle.reservations.insertOne(doc, { session });
        return true;
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.handle.reservations.findOne({ idempotencyKey: hold.idempotencyKey });
      if (!existing) throw error;
      return { status: 'duplicate_key', existing: toReservation(existing) };
    }
    if (reserved) return { status: 'reserved', reservation: toReservation(doc) };
    // A retry whose first attempt took the last units must find its hold, not a shortage.
    const existing = await this.handle.reservations.findOne({ idempotencyKey: hold.idempotencyKey });
    if (existing) return { status: 'duplicate_key', existing: toReservation(existing) };
    const [item, due] = await Promise.all([
      this.handle.inventory.findOne({ _id: hold.sku }, { projection: { availableQuantity: 1 } }),
      this.handle.reservations.findOne({ sku: hold.sku, status: 'RESERVED', expiresAt: { $lte: hold.createdAt } }, { projection: { _id: 1 } }),
    ]);
    return item ? { status: 'insufficient', availableQuantity: item.availableQuantity, dueHolds: due !== null } : { status: 'sku_not_found' };
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

  /** Each due hold expires in its own conditional transaction, so concurrent sweepers never double-return. */
  async expireDue(finish: HoldFinish, limit: number, sku?: string): Promise<number> {
    const due = await this.handle.reservations
      .find({ status: 'RESERVED', expiresAt: { $lte: finish.now }, ...(sku === undefined ? {} : { sku }) }, { projection: { _id: 1 } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .toArray();
    let expired = 0;
    for (const { _id } of due) if (await this.transition('expire', _id, finish)) expired++;
    return expired;
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
    return this.handle.transaction(
      async (session) => {
        const item = await this.handle.inventory.findOne({ _id: sku }, { session });
        if (!item) return null;
        const sums = await this.handle.reservations
          .aggregate<{ _id: string; quantity: number }>(
            [{ $match: { sku, status: { $in: ['RESERVED', 'CONFIRMED'] } } }, { $group: { _id: '$status', quantity: { $sum: '$quantity' } } }],
            { session },
          )
          .toArray();
        const sum = (status: string) => sums.find((s) => s._id === status)?.quantity ?? 0;
        return reconciliationOf({ ...item, sku: item._id }, sum('RESERVED'), sum('CONFIRMED'));
      },
      { readConcern: { level: 'snapshot' } },
    );
  }

  /** The finished hold carries `finish.retainUntil` as purgeAt, when the TTL index deletes it. */
  private async transition(transition: Transition, id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.handle.transaction(async (session) => {
      const { filter, update } = holdTransition(transition, id, finish.now, finish.retainUntil);
      const hold = await this.handle.reservations.findOneAndUpdate(filter, update, { session, returnDocument: 'after' });
      if (!hold) return null;
      const movement = stockMovement(transition, hold.sku, hold.quantity, finish.now);
      const moved = await this.handle.inventory.findOneAndUpdate(movement.filter, movement.update, { session });
      // Aborts the transaction: a hold must never change state without its stock moving with it.
      if (!moved) throw new Error(`Stock of '${hold.sku}' does not hold reservation '${id}'; transition aborted`);
      return toReservation(hold);
    });
  }
}
