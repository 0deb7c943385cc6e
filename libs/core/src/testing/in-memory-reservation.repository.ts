import { isDue, NewReservation, Reservation, ReservationStatus, StockReconciliation } from '../reservation/reservation';
import { ReservationRepository, ReserveResult } from '../reservation/reservation.repository';
import { InMemoryStore } from './in-memory-store';

/** In-memory fake of ReservationRepository; each method runs without awaiting, so it is atomic like the adapters. */
export class InMemoryReservationRepository extends ReservationRepository {
  constructor(private readonly store: InMemoryStore) {
    super();
  }

  async tryReserve(hold: NewReservation): Promise<ReserveResult> {
    const existing = [...this.store.reservations.values()].find((r) => r.idempotencyKey === hold.idempotencyKey);
    if (existing) return { status: 'duplicate_key', existing: { ...existing } };
    const item = this.store.items.get(hold.sku);
    if (!item) return { status: 'sku_not_found' };
    if (item.availableQuantity < hold.quantity) {
      const dueHolds = [...this.store.reservations.values()].some((r) => r.sku === hold.sku && isDue(r, hold.createdAt));
      return { status: 'insufficient', availableQuantity: item.availableQuantity, dueHolds };
    }
    item.availableQuantity -= hold.quantity;
    item.reservedQuantity += hold.quantity;
    const reservation: Reservation = { ...hold, status: 'RESERVED', finishedAt: null };
    this.store.reservations.set(hold.id, reservation);
    return { status: 'reserved', reservation: { ...reservation } };
  }

  async findById(id: string): Promise<Reservation | null> {
    const reservation = this.store.reservations.get(id);
    return reservation ? { ...reservation } : null;
  }

  async confirmIfActive(id: string, now: Date): Promise<Reservation | null> {
    return this.transition(id, now, 'CONFIRMED', (r) => !isDue(r, now), (item, q) => {
      item.reservedQuantity -= q;
      item.soldQuantity += q;
    });
  }

  async cancelIfActive(id: string, now: Date): Promise<Reservation | null> {
    return this.transition(id, now, 'CANCELLED', (r) => !isDue(r, now), release);
  }

  async expireIfDue(id: string, now: Date): Promise<Reservation | null> {
    return this.transition(id, now, 'EXPIRED', (r) => isDue(r, now), release);
  }

  async expireDue(now: Date, limit: number, sku?: string): Promise<number> {
    const due = [...this.store.reservations.values()]
      .filter((r) => isDue(r, now) && (sku === undefined || r.sku === sku))
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit);
    for (const reservation of due) this.transition(reservation.id, now, 'EXPIRED', () => true, release);
    return due.length;
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
    return {
      sku,
      totalQuantity: item.totalQuantity,
      availableQuantity: item.availableQuantity,
      reservedQuantity: item.reservedQuantity,
      soldQuantity: item.soldQuantity,
      heldByActiveReservations: sum('RESERVED'),
      soldByConfirmedReservations: sum('CONFIRMED'),
    };
  }

  private transition(
    id: string,
    now: Date,
    to: ReservationStatus,
    allowed: (reservation: Reservation) => boolean,
    moveStock: (item: { availableQuantity: number; reservedQuantity: number; soldQuantity: number }, quantity: number) => void,
  ): Reservation | null {
    const reservation = this.store.reservations.get(id);
    if (!reservation || reservation.status !== 'RESERVED' || !allowed(reservation)) return null;
    const item = this.store.items.get(reservation.sku);
    if (item) moveStock(item, reservation.quantity);
    reservation.status = to;
    reservation.finishedAt = now;
    return { ...reservation };
  }
}

function release(item: { availableQuantity: number; reservedQuantity: number }, quantity: number): void {
  item.availableQuantity += quantity;
  item.reservedQuantity -= quantity;
}
