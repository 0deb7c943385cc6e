import {
  ChangeContext,
  deltasBetween,
  EventData,
  EventType,
  holdSnapshot,
  InventoryItem,
  itemSnapshot,
  movementSnapshot,
  MovementType,
  NO_STOCK,
  Reservation,
  StockLevels,
  StockMovement,
  SYSTEM_CHANGE,
  thresholdCrossings,
} from '@app/core';
import type { mongo } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { InventoryDocument, OutboxEventDocument, StockMovementDocument } from './mongo-documents';
import { toInventoryItem, toMovementDocument, toOutboxDocument } from './mongo-mappers';

export type Deltas = ReturnType<typeof deltasBetween>;

/** One SKU's counters changed by one change: what they were, the item after it, and the movement appended. */
export interface CounterChange {
  before: StockLevels;
  item: InventoryItem;
  movement: StockMovement;
}

/** One step of a guarded stock write, before its movement is built: its counters before, the item after, its id. */
export interface CounterStep {
  before: StockLevels;
  item: InventoryItem;
  id: number;
}

export interface MovementDetails {
  type: MovementType;
  at: Date;
  reservationId?: string | null;
  context?: ChangeContext;
}

/** The deltas a hold's line of `quantity` units makes, by the movement it appends. */
export function holdLineDeltas(type: MovementType, quantity: number): Deltas {
  const deltas: Deltas = { availableDelta: 0, reservedDelta: 0, soldDelta: 0, totalDelta: 0 };
  if (type === 'reserved') return { ...deltas, availableDelta: -quantity, reservedDelta: quantity };
  if (type === 'confirmed') return { ...deltas, reservedDelta: -quantity, soldDelta: quantity };
  return { ...deltas, availableDelta: quantity, reservedDelta: -quantity };
}

export function levelsOf(item: StockLevels): StockLevels {
  return {
    totalQuantity: item.totalQuantity,
    availableQuantity: item.availableQuantity,
    reservedQuantity: item.reservedQuantity,
    soldQuantity: item.soldQuantity,
  };
}

/**
 * Unfolds one guarded write that applied `steps` (in order) to a SKU's document and incremented its ledgerSequence by
 * their number, given the document it returned (returnDocument 'after'): each step's counters before, the item after
 * it, and its movement id (the last one is the document's ledgerSequence).
 */
export function stepsOf(after: InventoryDocument, steps: readonly Deltas[]): CounterStep[] {
  const item = toInventoryItem(after);
  const sequence = after.ledgerSequence;
  if (sequence === undefined) throw new Error(`Stock of '${after._id}' has no ledger sequence; its opening movement is missing`);
  let levels = levelsOf(item);
  for (const step of steps) levels = applied(levels, step, -1);
  return steps.map((step, index) => {
    const before = levels;
    levels = applied(levels, step, 1);
    return { before, item: { ...item, ...levels }, id: sequence - steps.length + index + 1 };
  });
}

function applied(levels: StockLevels, deltas: Deltas, sign: 1 | -1): StockLevels {
  return {
    totalQuantity: levels.totalQuantity + sign * deltas.totalDelta,
    availableQuantity: levels.availableQuantity + sign * deltas.availableDelta,
    reservedQuantity: levels.reservedQuantity + sign * deltas.reservedDelta,
    soldQuantity: levels.soldQuantity + sign * deltas.soldDelta,
  };
}

/** Where the events this process writes go in the feed: its wall clock, never going back, and a counter. */
export class FeedStamps {
  private lastMs = 0;
  private lastPosition = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  next(): { writtenAt: Date; position: number } {
    this.lastMs = Math.max(this.lastMs, this.clock());
    return { writtenAt: new Date(this.lastMs), position: ++this.lastPosition };
  }
}

const PROCESS_STAMPS = new FeedStamps();

/**
 * What one transaction appends to the ledger and the outbox, built from the documents it wrote and inserted before
 * it commits (insertRecords). Mirrors the in-memory fakes' writer: one movement per SKU whose counters changed, then
 * the change's event, then the threshold crossings of each SKU in SKU order. Each event is stamped as it is built
 * (FeedStamps), so the feed keeps the order of a change's events and of this process's changes; the stamp is taken
 * inside the transaction's attempt, after its stock writes (see FEED_VISIBILITY_WINDOW_MS).
 */
export class ChangeRecords {
  readonly movements: StockMovementDocument[] = [];
  readonly events: OutboxEventDocument[] = [];

  constructor(private readonly stamps: FeedStamps = PROCESS_STAMPS) {}

  movement(step: CounterStep, details: MovementDetails): CounterChange {
    const context = details.context ?? SYSTEM_CHANGE;
    const movement: StockMovement = {
      id: step.id,
      sku: step.item.sku,
      type: details.type,
      ...deltasBetween(step.before, step.item),
      reservationId: details.reservationId ?? null,
      reason: context.reason ?? null,
      actor: context.actor,
      at: details.at,
    };
    this.movements.push(toMovementDocument(movement));
    return { before: step.before, item: step.item, movement };
  }

  event(type: EventType, timestamp: Date, data: EventData): void {
    const { writtenAt, position } = this.stamps.next();
    this.events.push(toOutboxDocument({ id: randomUUID(), type, timestamp, data }, writtenAt, position));
  }

  /** The threshold events of each change whose available units crossed a line, with the item after it. */
  thresholdEvents(changes: readonly CounterChange[], timestamp: Date): void {
    for (const { before, item, movement } of changes) {
      for (const type of thresholdCrossings(before.availableQuantity, item.availableQuantity, item.lowStockThreshold)) {
        this.event(type, timestamp, { item: itemSnapshot(item), movement: movementSnapshot(movement) });
      }
    }
  }

  /** A hold's event with its movements, then the threshold events of its SKUs. */
  holdEvent(type: EventType, reservation: Reservation, changes: readonly CounterChange[], at: Date): void {
    this.event(type, at, { reservation: holdSnapshot(reservation), movements: changes.map((change) => movementSnapshot(change.movement)) });
    this.thresholdEvents(changes, at);
  }

  /** An item's event with its movement (null: no counter changed). */
  itemEvent(type: EventType, item: InventoryItem, change: CounterChange | null, at: Date): void {
    this.event(type, at, { item: itemSnapshot(item), movement: change ? movementSnapshot(change.movement) : null });
  }
}

/** A SKU that existed before the ledger: one `opening` movement, id 1, that brings its ledger to its counters. */
export function openingMovement(doc: InventoryDocument, at: Date): StockMovementDocument {
  const records = new ChangeRecords();
  const item = toInventoryItem(doc);
  records.movement({ before: NO_STOCK, item, id: 1 }, { type: 'opening', at });
  return records.movements[0];
}

/** Inserts the records in `session`, the transaction of the change they tell. */
export async function insertRecords(
  handle: { movements: mongo.Collection<StockMovementDocument>; outbox: mongo.Collection<OutboxEventDocument> },
  records: ChangeRecords,
  session: mongo.ClientSession,
): Promise<void> {
  if (records.movements.length > 0) await handle.movements.insertMany(records.movements, { session });
  if (records.events.length > 0) await handle.outbox.insertMany(records.events, { session });
}
