import {
  NewReservation,
  Reservation,
  ReservationRepository,
  ReservationSettings,
  ReserveResult,
  StockReconciliation,
} from '@app/core';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { Connection, Model, mongo } from 'mongoose';
import { InventoryDocument, ReservationDocument } from './mongo-documents';
import { MONGO_DUPLICATE_KEY, mongoErrorCode } from './mongo-errors';
import { toReservation } from './mongo-mappers';
import { holdTransition, reserveStock, stockMovement, Transition } from './mongo-updates';
import { typedCollection } from './typed-collection';
import { INVENTORY_MODEL, MONGO_READY, RESERVATION_MODEL } from './mongo.tokens';

/**
 * Each state change touches the hold and its SKU's stock, so it runs in one transaction
 * (`withTransaction`, which retries transient errors and unknown commit results). Inside it,
 * the stock write is a guarded findOneAndUpdate and the hold write is conditional on status RESERVED.
 */
@Injectable()
export class MongoReservationRepository extends ReservationRepository {
  private readonly items: mongo.Collection<InventoryDocument>;
  private readonly holds: mongo.Collection<ReservationDocument>;

  constructor(
    @InjectModel(INVENTORY_MODEL) itemsModel: Model<InventoryDocument>,
    @InjectModel(RESERVATION_MODEL) holdsModel: Model<ReservationDocument>,
    @InjectConnection() private readonly connection: Connection,
    @Inject(MONGO_READY) _ready: unknown,
    @Optional() private readonly settings?: ReservationSettings,
  ) {
    super();
    this.items = typedCollection(itemsModel);
    this.holds = typedCollection(holdsModel);
  }

  async tryReserve(hold: NewReservation): Promise<ReserveResult> {
    const doc: ReservationDocument = {
      _id: hold.id,
      sku: hold.sku,
      userId: hold.userId,
      quantity: hold.quantity,
      status: 'RESERVED',
      expiresAt: hold.expiresAt,
      idempotencyKey: hold.idempotencyKey,
      createdAt: hold.createdAt,
      finishedAt: null,
      purgeAt: null,
    };
    let reserved: boolean;
    try {
      reserved = await this.connection.transaction(async (session) => {
        const { filter, update } = reserveStock(hold.sku, hold.quantity, hold.createdAt);
        const stock = await this.items.findOneAndUpdate(filter, update, { session });
        if (!stock) return false;
        await this.holds.insertOne(doc, { session });
        return true;
      });
    } catch (error) {
      if (mongoErrorCode(error) !== MONGO_DUPLICATE_KEY) throw error;
      const existing = await this.holds.findOne({ idempotencyKey: hold.idempotencyKey });
      if (!existing) throw error;
      return { status: 'duplicate_key', existing: toReservation(existing) };
    }
    if (reserved) return { status: 'reserved', reservation: toReservation(doc) };
    // A retry whose first attempt took the last units must find its hold, not a shortage.
    const existing = await this.holds.findOne({ idempotencyKey: hold.idempotencyKey });
    if (existing) return { status: 'duplicate_key', existing: toReservation(existing) };
    const [item, due] = await Promise.all([
      this.items.findOne({ _id: hold.sku }, { projection: { availableQuantity: 1 } }),
      this.holds.findOne({ sku: hold.sku, status: 'RESERVED', expiresAt: { $lte: hold.createdAt } }, { projection: { _id: 1 } }),
    ]);
    return item ? { status: 'insufficient', availableQuantity: item.availableQuantity, dueHolds: due !== null } : { status: 'sku_not_found' };
  }

  async findById(id: string): Promise<Reservation | null> {
    const doc = await this.holds.findOne({ _id: id });
    return doc ? toReservation(doc) : null;
  }

  confirmIfActive(id: string, now: Date): Promise<Reservation | null> {
    return this.transition('confirm', id, now);
  }

  cancelIfActive(id: string, now: Date): Promise<Reservation | null> {
    return this.transition('cancel', id, now);
  }

  expireIfDue(id: string, now: Date): Promise<Reservation | null> {
    return this.transition('expire', id, now);
  }

  /** Each due hold expires in its own conditional transaction, so concurrent sweepers never double-return. */
  async expireDue(now: Date, limit: number, sku?: string): Promise<number> {
    const due = await this.holds
      .find({ status: 'RESERVED', expiresAt: { $lte: now }, ...(sku === undefined ? {} : { sku }) }, { projection: { _id: 1 } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .toArray();
    let expired = 0;
    for (const { _id } of due) if (await this.transition('expire', _id, now)) expired++;
    return expired;
  }

  async purgeFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const doomed = await this.holds
      .find({ finishedAt: { $type: 'date', $lt: cutoff } }, { projection: { _id: 1 } })
      .sort({ finishedAt: 1 })
      .limit(limit)
      .toArray();
    if (doomed.length === 0) return 0;
    const result = await this.holds.deleteMany({ _id: { $in: doomed.map((d) => d._id) }, finishedAt: { $type: 'date', $lt: cutoff } });
    return result.deletedCount;
  }

  /** Counters and sums read in one snapshot transaction, so they are consistent with each other. */
  async reconcile(sku: string): Promise<StockReconciliation | null> {
    return this.connection.transaction(
      async (session) => {
        const item = await this.items.findOne({ _id: sku }, { session });
        if (!item) return null;
        const sums = await this.holds
          .aggregate<{ _id: string; quantity: number }>(
            [{ $match: { sku, status: { $in: ['RESERVED', 'CONFIRMED'] } } }, { $group: { _id: '$status', quantity: { $sum: '$quantity' } } }],
            { session },
          )
          .toArray();
        const sum = (status: string) => sums.find((s) => s._id === status)?.quantity ?? 0;
        return {
          sku,
          totalQuantity: item.totalQuantity,
          availableQuantity: item.availableQuantity,
          reservedQuantity: item.reservedQuantity,
          soldQuantity: item.soldQuantity,
          heldByActiveReservations: sum('RESERVED'),
          soldByConfirmedReservations: sum('CONFIRMED'),
        };
      },
      { readConcern: { level: 'snapshot' } },
    );
  }

  private async transition(transition: Transition, id: string, now: Date): Promise<Reservation | null> {
    const purgeAt = this.settings ? new Date(now.getTime() + this.settings.finishedRetentionSeconds * 1000) : null;
    return this.connection.transaction(async (session) => {
      const { filter, update } = holdTransition(transition, id, now, purgeAt);
      const hold = await this.holds.findOneAndUpdate(filter, update, { session, returnDocument: 'after' });
      if (!hold) return null;
      const movement = stockMovement(transition, hold.sku, hold.quantity, now);
      const moved = await this.items.findOneAndUpdate(movement.filter, movement.update, { session });
      // Aborts the transaction: a hold must never change state without its stock moving with it.
      if (!moved) throw new Error(`Stock of '${hold.sku}' does not hold reservation '${id}'; transition aborted`);
      return toReservation(hold);
    });
  }
}
