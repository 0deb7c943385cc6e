import { InventoryItem } from '../inventory/inventory-item';
import { HoldLine } from '../reservation/hold-lines';
import { Reservation, ReservationStatus } from '../reservation/reservation';
import { MovementType, StockMovement } from '../ledger/stock-movement';

export const EVENT_TYPES = [
  'reservation.created',
  'reservation.extended',
  'reservation.released',
  'reservation.confirmed',
  'reservation.cancelled',
  'reservation.expired',
  'inventory.created',
  'inventory.updated',
  'inventory.deleted',
  'inventory.low_stock',
  'inventory.out_of_stock',
  'inventory.back_in_stock',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A hold as events carry it (JSON: times as ISO strings). */
export interface HoldSnapshot {
  reservationId: string;
  userId: string;
  status: ReservationStatus;
  items: HoldLine[];
  expiresAt: string;
  idempotencyKey: string;
  createdAt: string;
  finishedAt: string | null;
}

/** An item as events carry it. */
export interface ItemSnapshot {
  sku: string;
  productName: string;
  totalQuantity: number;
  availableQuantity: number;
  reservedQuantity: number;
  soldQuantity: number;
  maxPerCustomer: number | null;
  lowStockThreshold: number | null;
  stockBuckets: number;
  createdAt: string;
  updatedAt: string;
}

export interface MovementSnapshot {
  id: number;
  sku: string;
  type: MovementType;
  availableDelta: number;
  reservedDelta: number;
  soldDelta: number;
  totalDelta: number;
  reservationId: string | null;
  reason: string | null;
  actor: string | null;
  at: string;
}

/**
 * What an event says. Reservation events carry the hold after the change and its movements (one per SKU; none for an
 * extension); inventory events carry the item after the change (before it, for `inventory.deleted`) and the movement
 * that changed its counters (null when only other fields changed); threshold events carry the movement that crossed.
 */
export type EventData =
  { reservation: HoldSnapshot; movements: MovementSnapshot[] } | { item: ItemSnapshot; movement: MovementSnapshot | null };

/** One event of the outbox, written in the same statement or transaction as the change it tells. */
export interface DomainEvent {
  id: string;
  type: EventType;
  timestamp: Date;
  data: EventData;
}

/** Events of one hold, or of one SKU, are delivered in order to each endpoint. */
export function orderingKeyOf(event: Pick<DomainEvent, 'type' | 'data'>): string {
  return 'reservation' in event.data ? `reservation:${event.data.reservation.reservationId}` : `sku:${event.data.item.sku}`;
}

/** The hold a snapshot shows. Snapshots do not carry the client, which no view shows: it is left empty. */
export function holdOfSnapshot(snapshot: HoldSnapshot): Reservation {
  return {
    id: snapshot.reservationId,
    userId: snapshot.userId,
    status: snapshot.status,
    items: snapshot.items.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    expiresAt: new Date(snapshot.expiresAt),
    clientId: '',
    idempotencyKey: snapshot.idempotencyKey,
    createdAt: new Date(snapshot.createdAt),
    finishedAt: snapshot.finishedAt === null ? null : new Date(snapshot.finishedAt),
  };
}

export function holdSnapshot(reservation: Reservation): HoldSnapshot {
  return {
    reservationId: reservation.id,
    userId: reservation.userId,
    status: reservation.status,
    items: reservation.items.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    expiresAt: reservation.expiresAt.toISOString(),
    idempotencyKey: reservation.idempotencyKey,
    createdAt: reservation.createdAt.toISOString(),
    finishedAt: reservation.finishedAt?.toISOString() ?? null,
  };
}

export function itemSnapshot(item: InventoryItem): ItemSnapshot {
  return {
    sku: item.sku,
    productName: item.productName,
    totalQuantity: item.totalQuantity,
    availableQuantity: item.availableQuantity,
    reservedQuantity: item.reservedQuantity,
    soldQuantity: item.soldQuantity,
    maxPerCustomer: item.maxPerCustomer,
    lowStockThreshold: item.lowStockThreshold,
    stockBuckets: item.stockBuckets,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

export function movementSnapshot(movement: StockMovement): MovementSnapshot {
  return { ...movement, at: movement.at.toISOString() };
}

/**
 * The threshold events of a change of available units from `before` to `after`: each fires on the crossing only,
 * once, never on a change that stays on the same side. `threshold` null: no low-stock events.
 */
export function thresholdCrossings(before: number, after: number, threshold: number | null): EventType[] {
  const events: EventType[] = [];
  if (threshold !== null && after < threshold && before >= threshold) events.push('inventory.low_stock');
  if (after === 0 && before > 0) events.push('inventory.out_of_stock');
  if (after > 0 && before === 0) events.push('inventory.back_in_stock');
  return events;
}
