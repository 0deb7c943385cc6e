import { InvalidCursorError } from '@app/core';
import { MAX_COMMIT_TIME_MS, TRANSACTION_DEADLINE_MS } from './mongo-handle/bounded-transaction';

/**
 * The outbox as a feed: events ordered by (writtenAt, _id), readable only once older than FEED_VISIBILITY_WINDOW_MS.
 * MongoDB has no equivalent of PostgreSQL's snapshot xmin, so the window stands in for "no open transaction can still
 * add an earlier event": an event's writtenAt is taken inside its transaction's last attempt (ChangeRecords), and
 * boundedTransaction starts no attempt after TRANSACTION_DEADLINE_MS, whose commit the server gives up after
 * MAX_COMMIT_TIME_MS. The margin covers the clocks of instances disagreeing (writtenAt is each instance's wall clock).
 * The cost is the lag: events reach the feed and webhooks about this long after their change.
 */
export const CLOCK_SKEW_MARGIN_MS = 3_000;
export const FEED_VISIBILITY_WINDOW_MS = TRANSACTION_DEADLINE_MS + MAX_COMMIT_TIME_MS + CLOCK_SKEW_MARGIN_MS;

/** A place in the feed: after the event `id` written at `at`. */
export interface FeedPosition {
  at: Date;
  id: string;
}

export const FEED_ORDER = { writtenAt: 1, _id: 1 } as const;

export function encodeFeedCursor(position: FeedPosition): string {
  return Buffer.from(`${position.at.getTime()}:${position.id}`).toString('base64url');
}

/** The position a cursor of this adapter names; InvalidCursorError for anything else. */
export function decodeFeedCursor(cursor: string): FeedPosition {
  const match = /^(\d{1,15}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(
    Buffer.from(cursor, 'base64url').toString(),
  );
  if (!match) throw new InvalidCursorError(cursor);
  return { at: new Date(Number(match[1])), id: match[2] };
}

/** Events after `after` (null: from the first), in FEED_ORDER. */
export function eventsAfter(after: FeedPosition | null) {
  return after === null ? {} : { $or: [{ writtenAt: { $gt: after.at } }, { writtenAt: after.at, _id: { $gt: after.id } }] };
}

/** Events after `after` that are readable: written before `visibleBefore` (now minus the window). */
export function readableEventsAfter(after: FeedPosition | null, visibleBefore: Date) {
  return { writtenAt: { $lt: visibleBefore }, ...eventsAfter(after) };
}
