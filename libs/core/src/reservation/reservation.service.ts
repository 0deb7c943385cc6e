import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IdempotencyKeyReusedError } from '../idempotency/idempotency.errors';
import { InventoryNotFoundError } from '../inventory/inventory.errors';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { runInBatches } from '../maintenance/run-in-batches';
import { Clock } from '../time/clock';
import { ANONYMOUS_CLIENT_ID, Reservation, StockReconciliation } from './reservation';
import { InsufficientStockError, PerCustomerLimitError, ReservationNotFoundError, ReserveQuantityError } from './reservation.errors';
import { ReservationRepository } from './reservation.repository';
import { ReservationSettings } from './reservation-settings';

export interface ReserveCommand {
  sku: string;
  userId: string;
  quantity: number;
  idempotencyKey: string;
  /** The API key id of the caller; idempotency keys are unique per client. Default: ANONYMOUS_CLIENT_ID. */
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

  /**
   * Holds stock for the TTL. The idempotency key is stored on the hold itself (unique per client), so even a retry that
   * slips past the idempotency records (e.g. after a crash between commit and response) finds this hold
   * instead of creating a second one.
   */
  async reserve(command: ReserveCommand): Promise<Reservation> {
    const { maxQuantity, maxPerCustomer } = this.settings.limits;
    if (!Number.isSafeInteger(command.quantity) || command.quantity < 1 || command.quantity > maxQuantity) {
      throw new ReserveQuantityError(command.quantity, maxQuantity);
    }
    const now = this.clock.now();
    const hold = {
      id: randomUUID(),
      sku: command.sku,
      userId: command.userId,
      quantity: command.quantity,
      clientId: command.clientId ?? ANONYMOUS_CLIENT_ID,
      idempotencyKey: command.idempotencyKey,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.settings.ttlSeconds * 1000),
    };
    let result = await this.reservations.tryReserve(hold, maxPerCustomer);
    // Stock held by due holds counts as free even before the sweeper runs: release it and try once more.
    if (
      result.status === 'insufficient' &&
      result.dueHolds &&
      (await this.reservations.expireDue(this.settings.finishAt(now), this.maintenance.batchSize, command.sku)) > 0
    ) {
      result = await this.reservations.tryReserve(hold, maxPerCustomer);
    }
    switch (result.status) {
      case 'reserved':
        return result.reservation;
      case 'sku_not_found':
        throw new InventoryNotFoundError(command.sku);
      case 'insufficient':
        throw new InsufficientStockError(command.sku, command.quantity, result.availableQuantity);
      case 'customer_limit':
        throw new PerCustomerLimitError(command.sku, command.userId, result.maxPerCustomer, result.heldByCustomer, command.quantity);
      case 'duplicate_key': {
        const { existing } = result;
        const same = existing.sku === command.sku && existing.userId === command.userId && existing.quantity === command.quantity;
        if (!same) throw new IdempotencyKeyReusedError(command.idempotencyKey);
        return existing;
      }
    }
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
