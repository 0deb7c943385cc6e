import request from 'supertest';
import { waitFor } from './wait-for';

type Http = ReturnType<typeof request>;

export interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, any>;
}

/** Every event the feed shows now, oldest first, read page by page from the start. */
export async function readWholeFeed(http: Http, limit = 100): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const query: Record<string, string | number> = after === null ? { limit } : { limit, after };
    const response = await http.get('/api/v1/admin/events').query(query).expect(200);
    const page = response.body.data as { items: FeedEvent[]; nextCursor: string | null };
    events.push(...page.items);
    if (page.items.length < limit) return events;
    after = page.nextCursor;
  }
}

/** The feed once `ready` holds for it (events show up at once on PostgreSQL, after a visibility window on MongoDB). */
export async function feedWhen(http: Http, ready: (events: FeedEvent[]) => boolean, timeoutMs = 30_000): Promise<FeedEvent[]> {
  let events: FeedEvent[] = [];
  const shown = await waitFor(async () => ready((events = await readWholeFeed(http))), timeoutMs);
  if (!shown) throw new Error(`the feed never got there; it holds ${events.length} event(s): ${events.map((e) => e.type).join(', ')}`);
  return events;
}

/** The SKU's events among `events`, by type. */
export function typesOfSku(events: FeedEvent[], sku: string): string[] {
  return events.filter((e) => e.data.item?.sku === sku).map((e) => e.type);
}
