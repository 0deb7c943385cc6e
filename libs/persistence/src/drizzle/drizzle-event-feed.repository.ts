import { DomainEvent, EventFeedRepository, EventPage, InvalidCursorError } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { toDomainEvent } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';

/** A position in the feed: the (tx_id, sequence) of the last event read. */
export interface FeedPosition {
  txId: string;
  sequence: string;
}

export const FEED_START: FeedPosition = { txId: '0', sequence: '0' };

/**
 * The oldest transaction that may still write an outbox row: the statement snapshot's oldest in-progress transaction of
 * this database, else its xmax (the first id not yet assigned). Transactions of other databases of the cluster cannot
 * write here, so they do not hold the feed back; one is recognised only while pg_stat_activity still shows it running
 * elsewhere (an entry it no longer shows counts as ours: the feed then waits, it never skips).
 */
const OLDEST_WRITER = sql.raw(`LEAST(pg_snapshot_xmax(pg_current_snapshot()),
  (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
   WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                     WHERE a.datname IS DISTINCT FROM current_database()
                       AND a.backend_xid = (x::text::numeric % 4294967296)::text::xid)))`);

/**
 * The outbox in feed order: (tx_id, sequence), only events of transactions older than the oldest one that may still
 * write here. A transaction that is still open, or not yet started, has an id at or above that bound, so every event
 * it writes sorts after anything returned now: a reader never skips one.
 */
export function visibleEventsAfter(position: FeedPosition, limit: number, columns: SQL): SQL {
  return sql`
    SELECT ${columns} FROM outbox_events
    WHERE (tx_id, sequence) > (${position.txId}::xid8, ${position.sequence}::bigint)
      AND tx_id < ${OLDEST_WRITER}
    ORDER BY tx_id, sequence
    LIMIT ${limit}::integer`;
}

/** Cursor: base64url of "<tx_id>:<sequence>". */
export function feedCursorOf(position: FeedPosition): string {
  return Buffer.from(`${position.txId}:${position.sequence}`).toString('base64url');
}

export function feedPositionOf(cursor: string): FeedPosition {
  const match = /^(\d{1,20}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || feedCursorOf({ txId: match[1], sequence: match[2] }) !== cursor) throw new InvalidCursorError(cursor);
  const position = { txId: match[1], sequence: match[2] };
  // xid8 and bigint bounds: a number past them is not a cursor this service issued.
  if (BigInt(position.txId) >= 2n ** 64n || BigInt(position.sequence) >= 2n ** 63n) throw new InvalidCursorError(cursor);
  return position;
}

@Injectable()
export class DrizzleEventFeedRepository extends EventFeedRepository {
  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  async readAfter(cursor: string | null, limit: number): Promise<EventPage> {
    const position = cursor === null ? FEED_START : feedPositionOf(cursor);
    const rows = await this.handle.rows<{ tx_id: string; sequence: string | number; payload: Parameters<typeof toDomainEvent>[0] }>(
      visibleEventsAfter(position, limit, sql`tx_id::text AS tx_id, sequence, payload`),
    );
    const events: DomainEvent[] = rows.map((row) => toDomainEvent(row.payload));
    const last = rows.at(-1);
    return { events, nextCursor: last ? feedCursorOf({ txId: last.tx_id, sequence: String(last.sequence) }) : cursor };
  }
}
