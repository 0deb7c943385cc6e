import { Injectable } from '@nestjs/common';
import { EventFeedRepository, EventPage } from './event-feed.repository';

/** The outbox as a feed for pull consumers, oldest first from a cursor (like Stripe's events list). */
@Injectable()
export class EventFeedService {
  constructor(private readonly feed: EventFeedRepository) {}

  readAfter(cursor: string | null, limit: number): Promise<EventPage> {
    return this.feed.readAfter(cursor, limit);
  }
}
