import { InventoryItem } from '../inventory/inventory-item';
import {
  HoldFinish,
  isActive,
  isDue,
  NewReservation,
  reconciliationOf,
  Reservation,
  ReservationStatus,
  StockReconciliation,
} from '../reservation/reservation';
import { ReservationRepository, ReserveResult } from '../reservation/reservation.repository';
import { InMemoryStore } from './in-memory-store';

/** In-memory fake of ReservationRepository; each method runs without awaiting, so it is atomic like the adapters. */
export class InMemoryReservationRepository extends ReservationRepository {
  constructor(private readonly store: InMemoryStore) {
    super();
  }

  async tryReserve(hold: NewReservation, defaultMaxPerCustomer: number | null = null): Promise<ReserveResult> {
    const existing = [...this.store.reservations.values()].find(
      (r) => r.clientId === hold.clientId && r.idempotencyKey === hold.idempotencyKey,
    );
    if (existing) return { status: 'duplicate_key', existing: { ...existing } };
    const item = this.store.items.get(hold.sku);
    if (!item) return { status: 'sku_not_found' };
    if (item.availableQuantity < hold.quantity) {
      const dueHolds = [...this.store.reservations.values()].some((r) => r.sku === hold.sku && isDue(r, hold.createdAt));
      return { status: 'insufficient', availableQuantity: item.availableQuantity, dueHolds };
    }
    const cap = item.maxPerCustomer ?? defaultMaxPerCustomer;
    if (cap !== null) {
      const heldByCustomer = [...this.store.reservations.values()]
        .filter((r) => r.sku === hold.sku && r.userId === hold.userId && isActive(r, hold.createdAt))
        .reduce((total, r) => total + r.quantity, 0);
      if (heldByCustomer + hold.quantity > cap) return { status: 'customer_limit', maxPerCustomer: cap, heldByCustomer };
    }
    item.availableQuantity -= hold.quantity;
    item.reservedQuantity += hold.quantity;
    item.updatedAt = hold.createdAt;
    const reservation: Reservation = { ...hold, status: 'RESERVED', finishedAt: null };
    this.store.reservations.set(hold.id, reservation);
    return { status: 'reserved', reservation: { ...reservation } };
  }

  async findById(id: string): Promise<Reservation | null> {
    const reservation = this.store.reservations.get(id);
    return reservation ? { ...reservation } : null;
  }

  async confirmIfActive(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(
      id,
      finish,
      'CONFIRMED',
      (r) => !isDue(r, finish.now),
      (item, q) => {
        item.reservedQuantity -= q;
        item.soldQuantity += q;
      },
    );
  }

  async cancelIfActive(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(id, finish, 'CANCELLED', (r) => !isDue(r, finish.now), release);
  }

  async expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(id, finish, 'EXPIRED', (r) => isDue(r, finish.now), release);
  }

  async expireDue(finish: HoldFinish, limit: number, sku?: string): Promise<number> {
    const due = [...this.store.reservations.values()]
      .filter((r) => isDue(r, finish.now) && (sku === undefined || r.sku === sku))
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit);
    for (const reservation of due) this.transition(reservation.id, finish, 'EXPIRED', () => true, release);
    return due.length;
  }

  async oldestDueExpiry(now: Date): Promise<Date | null> {
    const due = [...this.store.reservations.values()].filter((r) => isDue(r, now)).map((r) => r.expiresAt.getTime());
    return due.length > 0 ? new Date(Math.min(...due)) : null;
  }

  async purgeFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const finished = [...this.store.reservations.values()]
      .filter((r) => r.finishedAt !== null && r.finishedAt.getTime() < cutoff.getTime())
      .slice(0, limit);
    for (const reservation of finished) this.store.reservations.delete(reservation.id);
    return finished.length;
  }

  async reconcile(sku: string): Promise<StockReconciliation | null> {
    const item = this.store.items.get(sku);
    if (!item) return null;
    const holds = [...this.store.reservations.values()].filter((r) => r.sku === sku);
    const sum = (status: ReservationStatus) => holds.filter((r) => r.status === status).reduce((total, r) => total + r.quantity, 0);
    return reconciliationOf(item, sum('RESERVED'), sum('CONFIRMED'));
  }

  private transition(
    id: string,
    finish: HoldFinish,
    to: ReservationStatus,
    allowed: (reservation: Reservation) => boolean,
    moveStock: (item: InventoryItem, quantity: number) => void,
  ): Reservation | null {
    const reservation = this.store.reservations.get(id);
    if (!reservation || reservation.status !== 'RESERVED' || !allowed(reservation)) return null;
    const item = this.store.items.get(reservation.sku);
    if (item) {
      moveStock(item, reservation.quantity);
      item.updatedAt = finish.now;
    }
    reservation.status = to;
    reservation.finishedAt = finish.now;
    return { ...reservation };
  }
}

function release(item: { availableQuantity: number; reservedQuantity: number }, quantity: number): void {
  item.availableQuantity += quantity;
  item.reservedQuantity -= quantity;
}
