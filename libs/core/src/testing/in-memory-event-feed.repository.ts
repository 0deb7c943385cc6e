import { InvalidCursorError } from '../errors/domain-error';
import { EventFeedRepository, EventPage } from '../events/event-feed.repository';
import { copyEvent } from './in-memory-ledger-writer';
import { InMemoryStore } from './in-memory-store';

/** The outbox in the order it was written; every event is readable at once (no transaction can still add one before it). */
export class InMemoryEventFeedRepository extends EventFeedRepository {
  constructor(private readonly store: InMemoryStore) {
    super();
  }

  async readAfter(cursor: string | null, limit: number): Promise<EventPage> {
    const start = cursor === null ? 0 : positionOf(cursor);
    const events = this.store.events.slice(start, start + limit).map(copyEvent);
    return { events, nextCursor: events.length === 0 ? cursor : cursorOf(start + events.length) };
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
