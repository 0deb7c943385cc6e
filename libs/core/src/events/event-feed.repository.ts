import { DomainEvent } from './domain-event';

/** Adapters throw InvalidCursorError (400) for a cursor they did not issue. */

export interface EventPage {
  events: DomainEvent[];
  /** Pass it as `after` to read on; when no event was returned it is the cursor that was given (null at the start). */
  nextCursor: string | null;
}

/**
 * Port for reading the outbox in order, for pull consumers. An event becomes readable once no transaction that could
 * still add an earlier event is open, so a consumer that reads on from its cursor never skips one.
 */
export abstract class EventFeedRepository {
  /** At most `limit` events after `cursor` (null: from the first event kept), oldest first. */
  abstract readAfter(cursor: string | null, limit: number): Promise<EventPage>;
}
