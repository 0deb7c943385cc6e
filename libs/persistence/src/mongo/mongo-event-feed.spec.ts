import { InvalidCursorError } from '@app/core';
import { MAX_COMMIT_TIME_MS, TRANSACTION_DEADLINE_MS } from './mongo-handle/bounded-transaction';
import {
  decodeFeedCursor,
  encodeFeedCursor,
  eventsAfter,
  FEED_VISIBILITY_WINDOW_MS,
  hiddenEvents,
  readableEventsAfter,
} from './mongo-event-feed';

const at = new Date('2026-01-06T10:00:00.123Z');
const id = '0b6b9c5e-9a43-4c43-9a4e-0c2f0e7f8a11';

describe('mongo event feed', () => {
  it('should round-trip a position through an opaque base64url cursor of "<ms>:<position>:<id>"', () => {
    const cursor = encodeFeedCursor({ at, position: 12, id });
    expect(Buffer.from(cursor, 'base64url').toString()).toBe(`${at.getTime()}:12:${id}`);
    expect(decodeFeedCursor(cursor)).toEqual({ at, position: 12, id });
  });

  it.each([
    ['another adapter', Buffer.from('memory:3').toString('base64url')],
    ['no position', Buffer.from(`${at.getTime()}:${id}`).toString('base64url')],
    ['no id', Buffer.from(`${at.getTime()}:1:`).toString('base64url')],
    ['not an event id', Buffer.from(`${at.getTime()}:1:abc`).toString('base64url')],
    ['garbage', '!!!'],
  ])('should refuse a cursor of %s', (_, cursor) => {
    expect(() => decodeFeedCursor(cursor)).toThrow(InvalidCursorError);
  });

  it('should read strictly after the position in (writtenAt, position, _id) order, and only events older than the window', () => {
    const visibleBefore = new Date(at.getTime() + 60_000);
    expect(eventsAfter(null)).toEqual({});
    expect(readableEventsAfter({ at, position: 3, id }, visibleBefore)).toEqual({
      writtenAt: { $lt: visibleBefore },
      $or: [{ writtenAt: { $gt: at } }, { writtenAt: at, position: { $gt: 3 } }, { writtenAt: at, position: 3, _id: { $gt: id } }],
    });
  });

  it('should call hidden exactly the events the feed does not read yet', () => {
    const visibleBefore = new Date(at.getTime() + 60_000);
    expect(hiddenEvents(visibleBefore)).toEqual({ writtenAt: { $gte: visibleBefore } });
    expect(readableEventsAfter(null, visibleBefore)).toEqual({ writtenAt: { $lt: visibleBefore } });
  });

  it('should keep events out of the feed for longer than a transaction may run', () => {
    expect(FEED_VISIBILITY_WINDOW_MS).toBeGreaterThan(TRANSACTION_DEADLINE_MS + MAX_COMMIT_TIME_MS);
  });
});
