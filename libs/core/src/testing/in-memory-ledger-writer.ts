import { randomUUID } from 'node:crypto';
import { DomainEvent, EventData, EventType, itemSnapshot, movementSnapshot, thresholdCrossings } from '../events/domain-event';
import { InventoryItem } from '../inventory/inventory-item';
import { StockLevels } from '../inventory/stock-rules';
import { ChangeContext, deltasBetween, MovementType, StockMovement, SYSTEM_CHANGE } from '../ledger/stock-movement';
import { InMemoryStore } from './in-memory-store';

/** One SKU's counters changed by one change: what they were, the item after it, and the movement appended. */
export interface CounterChange {
  before: StockLevels;
  item: InventoryItem;
  movement: StockMovement;
}

export interface MovementDetails {
  type: MovementType;
  at: Date;
  reservationId?: string | null;
  context?: ChangeContext;
}

/**
 * Writes the ledger and the outbox of the in-memory fakes, in the same synchronous step as the change itself (the
 * reference every adapter matches): one movement per SKU whose counters changed, then the change's event, then the
 * threshold crossings of each SKU in the order given (SKU order).
 */
export class InMemoryLedgerWriter {
  constructor(private readonly store: InMemoryStore) {}

  /** Appends the movement taking `before` to the item's counters now. */
  movement(before: StockLevels, item: InventoryItem, details: MovementDetails): CounterChange {
    const context = details.context ?? SYSTEM_CHANGE;
    const movement: StockMovement = {
      id: this.store.nextMovementId(),
      sku: item.sku,
      type: details.type,
      ...deltasBetween(before, item),
      reservationId: details.reservationId ?? null,
      reason: context.reason ?? null,
      actor: context.actor,
      at: details.at,
    };
    this.store.movements.push(movement);
    return { before: { ...before }, item: { ...item }, movement: { ...movement } };
  }

  event(type: EventType, timestamp: Date, data: EventData): void {
    // Through JSON, as an adapter stores it: the data must survive that unchanged.
    this.store.events.push({ id: randomUUID(), type, timestamp, data: JSON.parse(JSON.stringify(data)) as EventData });
  }

  /** The threshold events of each change whose available units crossed a line, with the item after it. */
  thresholdEvents(changes: readonly CounterChange[], timestamp: Date): void {
    for (const { before, item, movement } of changes) {
      for (const type of thresholdCrossings(before.availableQuantity, item.availableQuantity, item.lowStockThreshold)) {
        this.event(type, timestamp, { item: itemSnapshot(item), movement: movementSnapshot(movement) });
      }
    }
  }
}

/** A copy of an outbox event (copied by hand: structuredClone makes Dates of another realm under Jest). */
export function copyEvent(event: DomainEvent): DomainEvent {
  return { ...event, timestamp: new Date(event.timestamp), data: JSON.parse(JSON.stringify(event.data)) as EventData };
}

export function levelsOf(item: StockLevels): StockLevels {
  return {
    totalQuantity: item.totalQuantity,
    availableQuantity: item.availableQuantity,
    reservedQuantity: item.reservedQuantity,
    soldQuantity: item.soldQuantity,
  };
}
