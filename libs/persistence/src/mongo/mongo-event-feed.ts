import { InvalidCursorError } from '@app/core';
import { OutboxEventDocument } from './mongo-documents';
import { MAX_COMMIT_TIME_MS, TRANSACTION_DEADLINE_MS } from './mongo-handle/bounded-transaction';

/**
 * The outbox as a feed: events ordered by (writtenAt, position, _id), readable only once older than
 * FEED_VISIBILITY_WINDOW_MS. MongoDB has no equivalent of PostgreSQL's snapshot xmin, so the window stands in for "no
 * open transaction can still add an earlier event": an event's writtenAt is this instance's wall clock when its
 * transaction's attempt built it, after its stock writes (ChangeRecords), so what is left before the commit is a few
 * inserts and the commit, which the server gives up after MAX_COMMIT_TIME_MS; boundedTransaction starts no attempt
 * after TRANSACTION_DEADLINE_MS. The window takes both, and a margin for the clocks of instances disagreeing. The
 * event's own `timestamp` (the core's time of the change) plays no part: it may be older than the attempt that wrote it.
 * The cost is the lag: events reach the feed and webhooks about this long after their change.
 */
export const CLOCK_SKEW_MARGIN_MS = 3_000;
export const FEED_VISIBILITY_WINDOW_MS = TRANSACTION_DEADLINE_MS + MAX_COMMIT_TIME_MS + CLOCK_SKEW_MARGIN_MS;

/** A place in the feed: the event `id` written at `at` in `position`. */
export interface FeedPosition {
  at: Date;
  position: number;
  id: string;
}

export const FEED_ORDER = { writtenAt: 1, position: 1, _id: 1 } as const;

export function feedPositionOf(event: Pick<OutboxEventDocument, 'writtenAt' | 'position' | '_id'>): FeedPosition {
  return { at: event.writtenAt, position: event.position, id: event._id };
}

/** base64url of "<ms>:<position>:<event id>". */
export function encodeFeedCursor(position: FeedPosition): string {
  return Buffer.from(`${position.at.getTime()}:${position.position}:${position.id}`).toString('base64url');
}

const CURSOR = /^(\d{1,15}):(\d{1,15}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The position a cursor of this adapter names; InvalidCursorError for anything else. */
export function decodeFeedCursor(cursor: string): FeedPosition {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError(cursor);
  return { at: new Date(Number(match[1])), position: Number(match[2]), id: match[3] };
}

/** Events after `after` (null: from the first), in FEED_ORDER. */
export function eventsAfter(after: FeedPosition | null) {
  if (after === null) return {};
  return {
    $or: [
      { writtenAt: { $gt: after.at } },
      { writtenAt: after.at, position: { $gt: after.position } },
      { writtenAt: after.at, position: after.position, _id: { $gt: after.id } },
    ],
  };
}

/** Events after `after` that are readable: written before `visibleBefore` (now minus the window). */
export function readableEventsAfter(after: FeedPosition | null, visibleBefore: Date) {
  return { writtenAt: { $lt: visibleBefore }, ...eventsAfter(after) };
}

/**
 * Events not readable yet (written at or after `visibleBefore`): none left means every event written so far shows
 * in the feed. For callers that must wait for that, e.g. tests counting the events of their writes.
 */
export function hiddenEvents(visibleBefore: Date) {
  return { writtenAt: { $gte: visibleBefore } };
}
