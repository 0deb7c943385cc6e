import {
  AttemptOutcome,
  ClaimedDelivery,
  DeliveryBacklog,
  EventType,
  NewWebhookEndpoint,
  WebhookAttempt,
  WebhookEndpoint,
  WebhookEventFilter,
  WebhookRepository,
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { SQL, sql } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { FeedPosition, visibleEventsAfter } from './drizzle-event-feed.repository';
import { isoTimestamp, toDate, toDomainEvent } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';

interface EndpointSqlRow extends Record<string, unknown> {
  id: string;
  url: string;
  events: WebhookEventFilter[];
  description: string | null;
  secret: string;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

interface AttemptSqlRow extends Record<string, unknown> {
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: EventType;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  at: Date | string;
  next_retry_at: Date | string | null;
}

interface ClaimSqlRow extends Record<string, unknown> {
  id: string;
  lease_token: string;
  attempt: number;
  endpoint_id: string;
  url: string;
  secret: string;
  payload: Parameters<typeof toDomainEvent>[0];
}

/** What a delivery becomes after an attempt, by result. */
const STATUS_AFTER = { delivered: 'delivered', retry: 'pending', failed: 'failed', endpoint_gone: 'failed' } as const;

/**
 * Endpoints, deliveries and attempts on PostgreSQL / PGlite. fanOut holds the single cursor row (FOR UPDATE SKIP LOCKED:
 * a second instance skips the round) while it turns the next visible outbox events into deliveries and moves the
 * cursor, in one transaction. claimDue leases deliveries with FOR UPDATE SKIP LOCKED, each the earliest pending one of
 * its (endpoint, ordering key); recordAttempt applies only for the lease's token.
 */
@Injectable()
export class DrizzleWebhookRepository extends WebhookRepository {
  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  async create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const [row] = await this.handle.rows<EndpointSqlRow>(sql`
      INSERT INTO webhook_endpoints (id, url, events, description, secret, created_at)
      VALUES (${endpoint.id}::uuid, ${endpoint.url}, ${sql.param(endpoint.events)}::text[], ${endpoint.description},
              ${endpoint.secret}, ${isoTimestamp(endpoint.createdAt)}::timestamptz)
      RETURNING *`);
    return toEndpoint(row);
  }

  async list(): Promise<WebhookEndpoint[]> {
    const rows = await this.handle.rows<EndpointSqlRow>(sql`SELECT * FROM webhook_endpoints ORDER BY created_at DESC, id DESC`);
    return rows.map(toEndpoint);
  }

  async findById(id: string): Promise<WebhookEndpoint | null> {
    const [row] = await this.handle.rows<EndpointSqlRow>(sql`SELECT * FROM webhook_endpoints WHERE id = ${id}::uuid`);
    return row ? toEndpoint(row) : null;
  }

  /** Its deliveries and their attempts go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<boolean> {
    const rows = await this.handle.rows(sql`DELETE FROM webhook_endpoints WHERE id = ${id}::uuid RETURNING id`);
    return rows.length > 0;
  }

  async recentAttempts(endpointId: string, limit: number): Promise<WebhookAttempt[]> {
    const rows = await this.handle.rows<AttemptSqlRow>(sql`
      SELECT * FROM webhook_attempts WHERE endpoint_id = ${endpointId}::uuid
      ORDER BY at DESC, id DESC
      LIMIT ${limit}::integer`);
    return rows.map(toAttempt);
  }

  async fanOut(now: Date, limit: number): Promise<number> {
    const at = isoTimestamp(now);
    return this.handle.transaction(async (rows) => {
      const [cursor] = await rows<{ tx_id: string; sequence: string | number }>(sql`
        SELECT tx_id::text AS tx_id, sequence FROM webhook_fanout_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED`);
      if (!cursor) return 0;
      const position: FeedPosition = { txId: cursor.tx_id, sequence: String(cursor.sequence) };
      const [done] = await rows<{ events: number }>(sql`
        WITH batch AS MATERIALIZED (
          ${visibleEventsAfter(position, limit, sql`tx_id, sequence, id, type, ordering_key`)}
        ), deliveries AS (
          INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, ordering_key, event_sequence, next_attempt_at, created_at)
          SELECT e.id, b.id, b.type, b.ordering_key, b.sequence, ${at}::timestamptz, ${at}::timestamptz
          FROM batch b JOIN webhook_endpoints e ON e.disabled_at IS NULL AND ('*' = ANY(e.events) OR b.type = ANY(e.events))
          ORDER BY b.tx_id, b.sequence
          ON CONFLICT (endpoint_id, event_id) DO NOTHING
        ), last AS (
          SELECT tx_id, sequence FROM batch ORDER BY tx_id DESC, sequence DESC LIMIT 1
        ), moved AS (
          UPDATE webhook_fanout_cursor c SET tx_id = last.tx_id, sequence = last.sequence FROM last WHERE c.id = 1
        )
        SELECT count(*)::integer AS events FROM batch`);
      return done.events;
    });
  }

  /**
   * One statement. Candidates are due, pending, unleased (or lapsed) deliveries to enabled endpoints with no earlier
   * pending delivery of their (endpoint, ordering key); they are locked SKIP LOCKED, so concurrent claimers take
   * different ones, and a row another claimer leased meanwhile fails the lease condition on its re-check.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const at = isoTimestamp(now);
    const rows = await this.handle.rows<ClaimSqlRow>(sql`
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= ${at}::timestamptz
          AND (d.lease_until IS NULL OR d.lease_until <= ${at}::timestamptz)
          AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NULL)
          AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries p
            WHERE p.endpoint_id = d.endpoint_id AND p.ordering_key = d.ordering_key AND p.status = 'pending'
              AND p.event_sequence < d.event_sequence)
        ORDER BY d.event_sequence
        LIMIT ${limit}::integer
        FOR UPDATE OF d SKIP LOCKED
      ), leased AS (
        UPDATE webhook_deliveries d SET lease_until = ${isoTimestamp(leaseUntil)}::timestamptz, lease_token = gen_random_uuid()
        FROM due WHERE d.id = due.id
        RETURNING d.*
      )
      SELECT l.id, l.lease_token, l.attempts + 1 AS attempt, e.id AS endpoint_id, e.url, e.secret, o.payload
      FROM leased l
      JOIN webhook_endpoints e ON e.id = l.endpoint_id
      JOIN outbox_events o ON o.id = l.event_id
      ORDER BY l.event_sequence`);
    return rows.map((row) => ({
      deliveryId: row.id,
      token: row.lease_token,
      endpoint: { id: row.endpoint_id, url: row.url, secret: row.secret },
      event: toDomainEvent(row.payload),
      attempt: row.attempt,
    }));
  }

  /** One statement: the delivery (only while `claim.token` holds its lease), its attempt row and, on 410, the endpoint. */
  async recordAttempt(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean> {
    const { result } = outcome;
    const at = isoTimestamp(outcome.at);
    const nextRetry = result.status === 'retry' ? isoTimestamp(result.nextAttemptAt) : null;
    const rows = await this.handle.rows(sql`
      WITH delivery AS (
        UPDATE webhook_deliveries
        SET attempts = ${claim.attempt}::integer, status = ${STATUS_AFTER[result.status]},
            next_attempt_at = COALESCE(${nextRetry}::timestamptz, next_attempt_at),
            delivered_at = ${result.status === 'delivered' ? at : null}::timestamptz,
            lease_until = NULL, lease_token = NULL
        WHERE id = ${claim.deliveryId}::uuid AND lease_token = ${claim.token}::uuid AND status = 'pending'
        RETURNING *
      ), attempt AS (
        INSERT INTO webhook_attempts
          (delivery_id, endpoint_id, event_id, event_type, attempt, status_code, error, duration_ms, at, next_retry_at)
        SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.attempts, ${outcome.statusCode}::integer, ${outcome.error}::text,
               ${Math.round(outcome.durationMs)}::integer, ${at}::timestamptz, ${nextRetry}::timestamptz
        FROM delivery d
      ), gone AS (
        UPDATE webhook_endpoints e SET disabled_at = COALESCE(e.disabled_at, ${at}::timestamptz)
        FROM delivery d
        WHERE e.id = d.endpoint_id AND ${result.status === 'endpoint_gone'}::boolean
      )
      SELECT id FROM delivery`);
    return rows.length > 0;
  }

  /** One statement per table (attempts, deliveries, events), each on its own: instances purging at once skip each other's rows. */
  async purgeBefore(cutoff: Date, limit: number): Promise<number> {
    let purged = 0;
    for (const step of PURGE_STEPS) {
      if (purged === limit) break;
      const [row] = await this.handle.rows<{ purged: number }>(step(isoTimestamp(cutoff), limit - purged));
      purged += row.purged;
    }
    return purged;
  }

  /**
   * Pending deliveries to enabled endpoints (a disabled endpoint's are never sent) plus events not yet fanned out; the
   * oldest by the time its event was written.
   */
  async backlog(): Promise<DeliveryBacklog> {
    const [row] = await this.handle.rows<{ pending: number; oldest_at: Date | string | null }>(sql`
      WITH cursor AS (
        SELECT tx_id, sequence FROM webhook_fanout_cursor WHERE id = 1
      ), waiting AS (
        SELECT o.created_at FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.disabled_at IS NULL
        JOIN outbox_events o ON o.id = d.event_id
        WHERE d.status = 'pending'
        UNION ALL
        SELECT o.created_at FROM outbox_events o, cursor c WHERE (o.tx_id, o.sequence) > (c.tx_id, c.sequence)
      )
      SELECT count(*)::integer AS pending, min(created_at) AS oldest_at FROM waiting`);
    return { pending: row.pending, oldestAt: row.oldest_at === null ? null : toDate(row.oldest_at) };
  }
}

/** The three steps of purgeBefore, in order: each deletes up to `limit` rows it locked (SKIP LOCKED) and counts them. */
const PURGE_STEPS: ((cutoff: string, limit: number) => SQL)[] = [
  (cutoff, limit) => sql`
    WITH doomed AS (
      SELECT id FROM webhook_attempts WHERE at < ${cutoff}::timestamptz
      ORDER BY at LIMIT ${limit}::integer
      FOR UPDATE SKIP LOCKED
    ), gone AS (
      DELETE FROM webhook_attempts a USING doomed WHERE a.id = doomed.id RETURNING 1
    )
    SELECT count(*)::integer AS purged FROM gone`,
  // What is left of their attempts (none unless locked by another purge) goes with them (ON DELETE CASCADE).
  (cutoff, limit) => sql`
    WITH doomed AS (
      SELECT d.id FROM webhook_deliveries d
      WHERE d.status <> 'pending' AND d.created_at < ${cutoff}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id AND a.at >= ${cutoff}::timestamptz)
      ORDER BY d.created_at LIMIT ${limit}::integer
      FOR UPDATE OF d SKIP LOCKED
    ), gone AS (
      DELETE FROM webhook_deliveries d USING doomed WHERE d.id = doomed.id RETURNING 1
    )
    SELECT count(*)::integer AS purged FROM gone`,
  // At or before the fan-out cursor: fanOut moved it in the transaction that made the event's deliveries, so a pending
  // delivery of the event is seen whenever the cursor past it is.
  (cutoff, limit) => sql`
    WITH cursor AS (
      SELECT tx_id, sequence FROM webhook_fanout_cursor WHERE id = 1
    ), doomed AS (
      SELECT o.sequence FROM outbox_events o, cursor c
      WHERE o.created_at < ${cutoff}::timestamptz AND (o.tx_id, o.sequence) <= (c.tx_id, c.sequence)
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = o.id AND d.status = 'pending')
      ORDER BY o.created_at LIMIT ${limit}::integer
      FOR UPDATE OF o SKIP LOCKED
    ), gone AS (
      DELETE FROM outbox_events o USING doomed WHERE o.sequence = doomed.sequence RETURNING 1
    )
    SELECT count(*)::integer AS purged FROM gone`,
];

function toEndpoint(row: EndpointSqlRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: [...row.events],
    description: row.description,
    secret: row.secret,
    createdAt: toDate(row.created_at),
    disabledAt: row.disabled_at === null ? null : toDate(row.disabled_at),
  };
}

function toAttempt(row: AttemptSqlRow): WebhookAttempt {
  return {
    deliveryId: row.delivery_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    attempt: row.attempt,
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
    at: toDate(row.at),
    nextRetryAt: row.next_retry_at === null ? null : toDate(row.next_retry_at),
  };
}
