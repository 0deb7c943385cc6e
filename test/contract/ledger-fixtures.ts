import { DomainEvent, EventFeedRepository, HoldLine, mergeLines, NewInventoryItem, NewReservation } from '@app/core';
import { randomUUID } from 'node:crypto';
import { RepositorySubject } from '../support/repository-subjects';
import { uniqueSku } from '../support/unique';

const T0 = new Date('2026-01-06T10:00:00.000Z').getTime();

/**
 * A clock that only moves forward (one second per call unless told), across a whole file: the outbox of MongoDB orders
 * events by their time, so a suite sharing one database never writes an event older than one it has read.
 */
export function forwardClock(): (seconds?: number) => Date {
  let elapsed = 0;
  return (seconds = 1) => new Date(T0 + (elapsed += seconds) * 1000);
}

/** `count` fresh SKUs in byte order. */
export function skusInOrder(count: number): string[] {
  const base = uniqueSku();
  return Array.from({ length: count }, (_, index) => `${base}-${index}`);
}

export const newItem = (sku: string, total: number, overrides: Partial<NewInventoryItem> = {}): NewInventoryItem => ({
  sku,
  productName: 'Item',
  totalQuantity: total,
  availableQuantity: total,
  ...overrides,
});

/** A hold of `lines` (canonical form) made at `createdAt`, due five minutes later. */
export const newHold = (lines: HoldLine[], createdAt: Date, overrides: Partial<NewReservation> = {}): NewReservation => ({
  id: randomUUID(),
  userId: 'user-1',
  items: mergeLines(lines),
  clientId: 'key-client',
  idempotencyKey: randomUUID(),
  createdAt,
  expiresAt: new Date(createdAt.getTime() + 300_000),
  ...overrides,
});

/** Reads the feed from `cursor` to its end, `pageSize` at a time. */
export async function readToEnd(
  feed: EventFeedRepository,
  cursor: string | null,
  pageSize = 100,
): Promise<{ events: DomainEvent[]; cursor: string | null }> {
  const events: DomainEvent[] = [];
  for (;;) {
    const page = await feed.readAfter(cursor, pageSize);
    expect(page.events.length).toBeLessThanOrEqual(pageSize);
    if (page.events.length === 0) {
      expect(page.nextCursor).toBe(cursor);
      return { events, cursor };
    }
    events.push(...page.events);
    cursor = page.nextCursor;
  }
}

/** Waits until every event written so far can be read (see RepositorySubject.settleFeed). */
export function feedSettled(subject: RepositorySubject): Promise<void> {
  return subject.settleFeed();
}
