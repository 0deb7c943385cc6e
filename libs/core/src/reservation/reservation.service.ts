import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConcurrentModificationError } from '../errors/domain-error';
import { RecordWith } from '../idempotency/idempotency-record';
import { IdempotencyKeyReusedError, RecordDeclinedSignal } from '../idempotency/idempotency.errors';
import { InventoryNotFoundError } from '../inventory/inventory.errors';
import { canonicalLines, isWholeIn } from './hold-line-rules';
import { HoldLine, sameLines } from './hold-lines';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { runInBatches } from '../maintenance/run-in-batches';
import { Clock } from '../time/clock';
import { ANONYMOUS_CLIENT_ID, Reservation, StockReconciliation } from './reservation';
import {
  HoldSecondsError,
  HoldSkusNotFoundError,
  InsufficientStockError,
  PerCustomerLimitError,
  ReservationNotFoundError,
  ReserveQuantityError,
} from './reservation.errors';
import { ReservationRepository } from './reservation.repository';
import { ReservationSettings } from './reservation-settings';

/** A hold of one SKU: the original `/inventory/reserve` contract. */
export interface ReserveCommand {
  sku: string;
  userId: string;
  quantity: number;
  idempotencyKey: string;
  /** The API key id of the caller; idempotency keys are unique per client. Default: ANONYMOUS_CLIENT_ID. */
  clientId?: string;
}

/** A hold of a cart: lines naming the same SKU are summed before anything is checked. */
export interface HoldCommand {
  userId: string;
  items: HoldLine[];
  /** Default: the configured TTL. At most the configured largest TTL. */
  ttlSeconds?: number;
  idempotencyKey: string;
  clientId?: string;
}

@Injectable()
export class ReservationService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly clock: Clock,
    private readonly settings: ReservationSettings,
    private readonly maintenance: MaintenanceSettings,
  ) {}

  /** Holds one SKU: a one-line hold (see hold). */
  reserve(command: ReserveCommand, record?: RecordWith<Reservation>): Promise<Reservation> {
    const { sku, quantity, ...rest } = command;
    return this.hold({ ...rest, items: [{ sku, quantity }] }, record);
  }

  /**
   * Holds every line of the cart for the TTL, or nothing. The idempotency key is stored on the hold itself (unique per
   * client), so even a retry that slips past the idempotency records (e.g. after a crash between commit and response)
   * finds this hold instead of creating a second one.
   * With `record`, the request's idempotency record is written with the hold, holding the response `record.respond`
   * renders for it (the hold's id and times are chosen here, so the response is known before anything is written). A key
   * already recorded, or already on a hold, throws RecordDeclinedSignal: nothing moved, and the claim's way decides.
   */
  async hold(command: HoldCommand, record?: RecordWith<Reservation>): Promise<Reservation> {
    const items = this.validLines(command.items);
    const ttlSeconds = command.ttlSeconds ?? this.settings.ttlSeconds;
    const { maxTtlSeconds, maxPerCustomer } = this.settings.limits;
    if (command.ttlSeconds !== undefined && !isWholeIn(ttlSeconds, 1, maxTtlSeconds)) {
      throw new HoldSecondsError('ttlSeconds', ttlSeconds, maxTtlSeconds);
    }
    const now = this.clock.now();
    const hold = {
      id: randomUUID(),
      userId: command.userId,
      items,
      clientId: command.clientId ?? ANONYMOUS_CLIENT_ID,
      idempotencyKey: command.idempotencyKey,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    };
    const response = record && { ...record.draft, response: record.respond({ ...hold, status: 'RESERVED', finishedAt: null }) };
    let result = await this.reservations.tryReserve(hold, maxPerCustomer, response);
    // Stock held by due holds counts as free even before the sweeper runs: release it and try once more.
    if (
      result.status === 'insufficient' &&
      result.dueHolds &&
      (await this.reservations.expireDue(
        this.settings.finishAt(now),
        this.maintenance.batchSize,
        result.shortages.map((shortage) => shortage.sku),
      )) > 0
    ) {
      result = await this.reservations.tryReserve(hold, maxPerCustomer, response);
    }
    switch (result.status) {
      case 'reserved':
        return result.reservation;
      case 'sku_not_found':
        throw new HoldSkusNotFoundError(result.missing);
      case 'insufficient':
        // Short when tried, yet every line free when the adapter looked again: stock kept moving under it.
        if (result.shortages.length === 0) throw new ConcurrentModificationError(`Stock of ${items.map((l) => `'${l.sku}'`).join(', ')}`);
        throw new InsufficientStockError(result.shortages);
      case 'customer_limit': {
        const requested = items.find((line) => line.sku === result.sku)?.quantity ?? 0;
        throw new PerCustomerLimitError(result.sku, command.userId, result.maxPerCustomer, result.heldByCustomer, requested);
      }
      case 'key_recorded':
        throw new RecordDeclinedSignal(command.idempotencyKey);
      case 'duplicate_key': {
        // The hold outlived its record (or the record is being written by a request still running): the claim decides.
        if (record) throw new RecordDeclinedSignal(command.idempotencyKey);
        const { existing } = result;
        if (existing.userId !== command.userId || !sameLines(existing.items, items)) {
          throw new IdempotencyKeyReusedError(command.idempotencyKey);
        }
        return existing;
      }
    }
  }

  /** The canonical lines, each line and their count within bounds, and every summed line too. */
  private validLines(lines: readonly HoldLine[]): HoldLine[] {
    const { maxQuantity } = this.settings.limits;
    const merged = canonicalLines(lines, maxQuantity);
    for (const line of merged) {
      if (line.quantity > maxQuantity) throw new ReserveQuantityError(line.quantity, maxQuantity);
    }
    return merged;
  }

  async get(id: string): Promise<Reservation> {
    const reservation = await this.reservations.findById(id);
    if (!reservation) throw new ReservationNotFoundError(id);
    return reservation;
  }

  /** One sweep: expires due holds in bounded batches until none are left (or the run's batch limit is reached). */
  async expireDue(): Promise<number> {
    return runInBatches(this.maintenance, (limit) => this.reservations.expireDue(this.settings.finishAt(this.clock.now()), limit));
  }

  /** Deletes finished holds older than the retention, in bounded batches. */
  async purgeFinished(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.settings.finishedRetentionSeconds * 1000);
    return runInBatches(this.maintenance, (limit) => this.reservations.purgeFinishedBefore(cutoff, limit));
  }

  async reconcile(sku: string): Promise<StockReconciliation> {
    const reconciliation = await this.reservations.reconcile(sku);
    if (!reconciliation) throw new InventoryNotFoundError(sku);
    return reconciliation;
  }
}
