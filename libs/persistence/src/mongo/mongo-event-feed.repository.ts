import { EventFeedRepository, EventPage } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { decodeFeedCursor, encodeFeedCursor, FEED_ORDER, feedPositionOf, readableEventsAfter } from './mongo-event-feed';
import { toDomainEvent } from './mongo-mappers';
import { MONGO_FEED_VISIBILITY_MS, MONGO_HANDLE } from './mongo.tokens';

/** The outbox in feed order, each event readable once older than the visibility window (see mongo-event-feed.ts). */
@Injectable()
export class MongoEventFeedRepository extends EventFeedRepository {
  constructor(
    @Inject(MONGO_HANDLE) private readonly handle: MongoHandle,
    @Inject(MONGO_FEED_VISIBILITY_MS) private readonly visibilityMs: number,
  ) {
    super();
  }

  async readAfter(cursor: string | null, limit: number): Promise<EventPage> {
    const after = cursor === null ? null : decodeFeedCursor(cursor);
    const docs = await this.handle.outbox
      .find(readableEventsAfter(after, new Date(Date.now() - this.visibilityMs)))
      .sort(FEED_ORDER)
      .limit(limit)
      .toArray();
    const last = docs[docs.length - 1];
    return { events: docs.map(toDomainEvent), nextCursor: last ? encodeFeedCursor(feedPositionOf(last)) : cursor };
  }
}
