import { InvalidCursorError } from '../errors/domain-error';
import { DomainEvent } from '../events/domain-event';
import { EventFeedRepository, EventPage } from '../events/event-feed.repository';
import { copyEvent } from './in-memory-ledger-writer';
import { InMemoryStore } from './in-memory-store';

/**
 * The outbox in the order it was written, without the events retention deleted; every event is readable at once (no
 * transaction can still add one before it).
 */
export class InMemoryEventFeedRepository extends EventFeedRepository {
  constructor(private readonly store: InMemoryStore) {
    super();
  }

  async readAfter(cursor: string | null, limit: number): Promise<EventPage> {
    let position = cursor === null ? 0 : positionOf(cursor);
    const events: DomainEvent[] = [];
    for (; position < this.store.events.length && events.length < limit; position++) {
      if (!this.store.purgedEvents.has(position)) events.push(copyEvent(this.store.events[position]));
    }
    return { events, nextCursor: events.length === 0 ? cursor : cursorOf(position) };
  }
}

/** The cursor after the first `position` events. */
function cursorOf(position: number): string {
  return Buffer.from(`memory:${position}`).toString('base64url');
}

function positionOf(cursor: string): number {
  const match = /^memory:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError(cursor);
  return Number(match[1]);
}
