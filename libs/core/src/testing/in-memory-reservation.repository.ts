import { EventType, holdSnapshot, movementSnapshot } from '../events/domain-event';
import { OutcomeRecord, RECORDED_HOLD, RecordDraft, ResponseRecord, StoredResponse } from '../idempotency/idempotency-record';
import { RecordDeclinedSignal } from '../idempotency/idempotency.errors';
import { InventoryItem } from '../inventory/inventory-item';
import { ChangeContext, ledgerSumsOf, MovementType, SYSTEM_CHANGE } from '../ledger/stock-movement';
import { extendedExpiry, withinLifetime } from '../reservation/hold-lifetime';
import { HoldListFilter, HoldListPosition, listedBefore } from '../reservation/hold-list';
import { HoldLine, linesAfterRelease, unitsOfSku } from '../reservation/hold-lines';
import {
  ANONYMOUS_CLIENT_ID,
  effectiveStatus,
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
import { CounterChange, InMemoryLedgerWriter, levelsOf } from './in-memory-ledger-writer';
import { idempotencyRowId, InMemoryStore } from './in-memory-store';

type StockMove = (item: InventoryItem, quantity: number) => void;

/**
 * In-memory fake of ReservationRepository; each method runs without awaiting, so it is atomic like the adapters.
 * Every change appends one movement per SKU of the lines it moved and writes the hold's event, then each SKU's
 * threshold crossings, in the same step.
 */
export class InMemoryReservationRepository extends ReservationRepository {
  private readonly ledger: InMemoryLedgerWriter;

  constructor(private readonly store: InMemoryStore) {
    super();
    this.ledger = new InMemoryLedgerWriter(store);
  }

  async tryReserve(hold: NewReservation, defaultMaxPerCustomer: number | null = null, record?: ResponseRecord): Promise<ReserveResult> {
    if (record && this.store.idempotency.has(idempotencyRowId(record.scope, record.key))) return { status: 'key_recorded' };
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
    const actor = hold.clientId === ANONYMOUS_CLIENT_ID ? null : hold.clientId;
    const changes = this.moveStock(hold.items, hold.createdAt, reserve, { type: 'reserved', reservationId: hold.id, context: { actor } });
    const reservation: Reservation = { ...copy({ ...hold, status: 'RESERVED', finishedAt: null }) };
    this.store.reservations.set(hold.id, reservation);
    this.tell('reservation.created', reservation, changes, hold.createdAt);
    if (record) this.writeRecord(record, record.response);
    return { status: 'reserved', reservation: copy(reservation) };
  }

  async findById(id: string): Promise<Reservation | null> {
    const reservation = this.store.reservations.get(id);
    return reservation ? copy(reservation) : null;
  }

  async listForAdmin(filter: HoldListFilter, limit: number, after: HoldListPosition | null): Promise<Reservation[]> {
    return this.holds()
      .filter((r) => matchesListFilter(r, filter) && (after === null || listedBefore(after, r)))
      .sort((a, b) => (listedBefore(a, b) ? -1 : 1))
      .slice(0, limit)
      .map(copy);
  }

  async confirmIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null> {
    return this.recorded(record, () => this.transition(id, finish, 'CONFIRMED', (r) => !isDue(r, finish.now), context));
  }

  async cancelIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null> {
    return this.recorded(record, () => this.transition(id, finish, 'CANCELLED', (r) => !isDue(r, finish.now), context));
  }

  /** Runs `change` and writes `record` with its outcome, in one step; a key recorded already changes nothing. */
  private recorded(record: OutcomeRecord | undefined, change: () => Reservation | null): Reservation | null {
    if (!record) return change();
    if (this.store.idempotency.has(idempotencyRowId(record.scope, record.key))) throw new RecordDeclinedSignal(record.key);
    const ended = change();
    if (ended) this.writeRecord(record, { statusCode: record.statusCode, body: { [RECORDED_HOLD]: holdSnapshot(ended) } });
    return ended;
  }

  /** The request's record, complete (claimed, leased and completed at `draft.now`). */
  private writeRecord(draft: RecordDraft, response: StoredResponse): void {
    const { fingerprint, token, now } = draft;
    const row = { fingerprint, token, leaseUntil: now, createdAt: now, response: structuredClone(response) };
    this.store.idempotency.set(idempotencyRowId(draft.scope, draft.key), row);
  }

  async expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null> {
    return this.transition(id, finish, 'EXPIRED', (r) => isDue(r, finish.now), SYSTEM_CHANGE);
  }

  async extendIfActive(id: string, seconds: number, maxLifetimeSeconds: number, now: Date): Promise<Reservation | null> {
    const reservation = this.store.reservations.get(id);
    if (!reservation || !isActive(reservation, now)) return null;
    const expiresAt = extendedExpiry(reservation, seconds);
    if (!withinLifetime(reservation, expiresAt, maxLifetimeSeconds)) return null;
    reservation.expiresAt = expiresAt;
    this.tell('reservation.extended', reservation, [], now);
    return copy(reservation);
  }

  async releaseIfActive(id: string, lines: HoldLine[], finish: HoldFinish, context?: ChangeContext): Promise<ReleaseResult> {
    const reservation = this.store.reservations.get(id);
    if (!reservation || !isActive(reservation, finish.now)) return { status: 'not_active' };
    const after = linesAfterRelease(reservation.items, lines);
    if (after.status === 'exceeds') return after;
    if (after.lines.length === 0) return { status: 'released', reservation: (await this.cancelIfActive(id, finish, context))! };
    const changes = this.moveStock(lines, finish.now, release, { type: 'released', reservationId: id, context });
    reservation.items = after.lines;
    this.tell('reservation.released', reservation, changes, finish.now);
    return { status: 'released', reservation: copy(reservation) };
  }

  async expireDue(finish: HoldFinish, limit: number, skus?: readonly string[]): Promise<number> {
    const due = this.holds()
      .filter((r) => isDue(r, finish.now) && (skus === undefined || r.items.some((line) => skus.includes(line.sku))))
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit);
    for (const reservation of due) this.transition(reservation.id, finish, 'EXPIRED', () => true, SYSTEM_CHANGE);
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
    const ledger = ledgerSumsOf(this.store.movements.filter((movement) => movement.sku === sku));
    return reconciliationOf(item, sum('RESERVED'), sum('CONFIRMED'), ledger);
  }

  private holds(): Reservation[] {
    return [...this.store.reservations.values()];
  }

  /** Moves the lines' units (lines in SKU order) and appends one movement per SKU. */
  private moveStock(
    lines: readonly HoldLine[],
    at: Date,
    move: StockMove,
    movement: { type: MovementType; reservationId: string; context?: ChangeContext },
  ): CounterChange[] {
    const changes: CounterChange[] = [];
    for (const line of lines) {
      const item = this.store.items.get(line.sku);
      if (!item) continue;
      const before = levelsOf(item);
      move(item, line.quantity);
      item.updatedAt = at;
      changes.push(this.ledger.movement(before, item, { ...movement, at }));
    }
    return changes;
  }

  /** The hold's event, then the threshold events of its SKUs. */
  private tell(type: EventType, reservation: Reservation, changes: CounterChange[], at: Date): void {
    this.ledger.event(type, at, {
      reservation: holdSnapshot(reservation),
      movements: changes.map((change) => movementSnapshot(change.movement)),
    });
    this.ledger.thresholdEvents(changes, at);
  }

  private transition(
    id: string,
    finish: HoldFinish,
    to: Exclude<ReservationStatus, 'RESERVED'>,
    allowed: (reservation: Reservation) => boolean,
    context: ChangeContext | undefined,
  ): Reservation | null {
    const reservation = this.store.reservations.get(id);
    if (!reservation || reservation.status !== 'RESERVED' || !allowed(reservation)) return null;
    const { type, move, event } = ENDINGS[to];
    const changes = this.moveStock(reservation.items, finish.now, move, { type, reservationId: id, context });
    reservation.status = to;
    reservation.finishedAt = finish.now;
    this.tell(event, reservation, changes, finish.now);
    return copy(reservation);
  }
}

function matchesListFilter(r: Reservation, filter: HoldListFilter): boolean {
  const { now, status, sku, userId, expiringBy } = filter;
  if (status !== undefined && effectiveStatus(r, now) !== status) return false;
  if (sku !== undefined && !r.items.some((line) => line.sku === sku)) return false;
  if (userId !== undefined && r.userId !== userId) return false;
  if (expiringBy !== undefined && !(isActive(r, now) && r.expiresAt.getTime() <= expiringBy.getTime())) return false;
  return true;
}

function copy(reservation: Reservation): Reservation {
  return { ...reservation, items: reservation.items.map((line) => ({ ...line })) };
}

function reserve(item: InventoryItem, quantity: number): void {
  item.availableQuantity -= quantity;
  item.reservedQuantity += quantity;
}

function release(item: InventoryItem, quantity: number): void {
  item.availableQuantity += quantity;
  item.reservedQuantity -= quantity;
}

function sell(item: InventoryItem, quantity: number): void {
  item.reservedQuantity -= quantity;
  item.soldQuantity += quantity;
}

const ENDINGS: Record<Exclude<ReservationStatus, 'RESERVED'>, { type: MovementType; move: StockMove; event: EventType }> = {
  CONFIRMED: { type: 'confirmed', move: sell, event: 'reservation.confirmed' },
  CANCELLED: { type: 'cancelled', move: release, event: 'reservation.cancelled' },
  EXPIRED: { type: 'expired', move: release, event: 'reservation.expired' },
};
