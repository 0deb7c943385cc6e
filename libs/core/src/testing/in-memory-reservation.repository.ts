import { InventoryItem } from '../inventory/inventory-item';
import { extendedExpiry, withinLifetime } from '../reservation/hold-lifetime';
import { HoldLine, linesAfterRelease, unitsOfSku } from '../reservation/hold-lines';
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
import { ReleaseResult, ReservationRepository, ReserveResult, StockShortage } from '../reservation/reservation.repository';
import { InMemoryStore } from './in-memory-store';

/** In-memory fake of ReservationRepository; each method runs without awaiting, so it is atomic like the adapters. */
export class InMemoryReservationRepository extends ReservationRepository {
  constructor(private readonly store: InMemoryStore) {
    super();
  }

  async tryReserve(hold: NewReservation, defaultMaxPerCustomer: number | null = null): Promise<ReserveResult> {
    const existing = this.holds().find((r) => r.clientId === hold.clientId && r.idempotencyKey === hold.idempotencyKey);
    if (existing) return { status: 'duplicate_key', existing: copy(existing) };
    const missing = hold.items.filter((line) => !this.store.items.has(line.sku)).map((line) => line.sku);
    if (missing.length > 0) return { status: 'sku_not_found', missing };
    const shortages: StockShortage[] = hold.items
      .map((line) => ({ sku: line.sku, requested: line.quantity, available: this.store.items.get(line.sku)!.availableQuantity }))
      .filter((line) => line.available < line.requested);
    if (shortages.length > 0) {
      const short = new Set(shortages.map((line) => line.sku));
      const dueHolds = this.holds().some((r) => isDue(r, hold.createdAt) && r.items.some((line) => short.has(line.sku)));
      return { status: 'insufficient', shortages, dueHolds };
    }
    for (const line of hold.items) {
      const cap = this.store.items.get(line.sku)!.maxPerCustomer ?? defaultMaxPerCustomer;
      if (cap === null) continue;
      const heldByCustomer = this.holds()
        .filter((r) => r.userId === hold.userId && isActive(r, hold.createdAt))
        .reduce((total, r) => total + unitsOfSku(r.items, line.sku), 0);
      if (heldByCustomer + line.quantity > cap) return { status: 'customer_limit', sku: line.sku, maxPerCustomer: cap, heldByCustomer };
    }
    this.moveStock(hold.items, hold.createdAt, (item, quantity) => {
      item.availableQuantity -= quantity;
      item.reservedQuantity += quantity;
    });
    const reservation: Reservation = { ...copy({ ...hold, status: 'RESERVED', finishedAt: null }) };
    this.store.reservations.set(hold.id, reservation);
    return { status: 'reserved', reservation: copy(reservation) };
  }

  async findById(id: string): Promise<Reservation | null> {
    const reservation = this.store.reservations.get(id);
    return reservation ? copy(reservation) : null;
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

  async extendIfActive(id: string, seconds: number, maxLifetimeSeconds: number, now: Date): Promise<Reservation | null> {
    const reservation = this.store.reservations.get(id);
    if (!reservation || !isActive(reservation, now)) return null;
    const expiresAt = extendedExpiry(reservation, seconds);
    if (!withinLifetime(reservation, expiresAt, maxLifetimeSeconds)) return null;
    reservation.expiresAt = expiresAt;
    return copy(reservation);
  }

  async releaseIfActive(id: string, lines: HoldLine[], finish: HoldFinish): Promise<ReleaseResult> {
    const reservation = this.store.reservations.get(id);
    if (!reservation || !isActive(reservation, finish.now)) return { status: 'not_active' };
    const after = linesAfterRelease(reservation.items, lines);
    if (after.status === 'exceeds') return after;
    if (after.lines.length === 0) return { status: 'released', reservation: (await this.cancelIfActive(id, finish))! };
    this.moveStock(lines, finish.now, release);
    reservation.items = after.lines;
    return { status: 'released', reservation: copy(reservation) };
  }

  async expireDue(finish: HoldFinish, limit: number, skus?: readonly string[]): Promise<number> {
    const due = this.holds()
      .filter((r) => isDue(r, finish.now) && (skus === undefined || r.items.some((line) => skus.includes(line.sku))))
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit);
    for (const reservation of due) this.transition(reservation.id, finish, 'EXPIRED', () => true, release);
    return due.length;
  }

  async oldestDueExpiry(now: Date): Promise<Date | null> {
    const due = this.holds()
      .filter((r) => isDue(r, now))
      .map((r) => r.expiresAt.getTime());
    return due.length > 0 ? new Date(Math.min(...due)) : null;
  }

  async purgeFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const finished = this.holds()
      .filter((r) => r.finishedAt !== null && r.finishedAt.getTime() < cutoff.getTime())
      .slice(0, limit);
    for (const reservation of finished) this.store.reservations.delete(reservation.id);
    return finished.length;
  }

  async reconcile(sku: string): Promise<StockReconciliation | null> {
    const item = this.store.items.get(sku);
    if (!item) return null;
    const sum = (status: ReservationStatus) =>
      this.holds()
        .filter((r) => r.status === status)
        .reduce((total, r) => total + unitsOfSku(r.items, sku), 0);
    return reconciliationOf(item, sum('RESERVED'), sum('CONFIRMED'));
  }

  private holds(): Reservation[] {
    return [...this.store.reservations.values()];
  }

  private moveStock(lines: readonly HoldLine[], at: Date, move: (item: InventoryItem, quantity: number) => void): void {
    for (const line of lines) {
      const item = this.store.items.get(line.sku);
      if (!item) continue;
      move(item, line.quantity);
      item.updatedAt = at;
    }
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
    this.moveStock(reservation.items, finish.now, moveStock);
    reservation.status = to;
    reservation.finishedAt = finish.now;
    return copy(reservation);
  }
}

function copy(reservation: Reservation): Reservation {
  return { ...reservation, items: reservation.items.map((line) => ({ ...line })) };
}

function release(item: { availableQuantity: number; reservedQuantity: number }, quantity: number): void {
  item.availableQuantity += quantity;
  item.reservedQuantity -= quantity;
}
