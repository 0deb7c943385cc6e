import { Webhook } from 'standardwebhooks';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { InMemoryWebhookRepository } from '../testing/in-memory-webhook.repository';
import { SettableClock } from '../testing/settable-clock';
import { RETRY_DELAYS_SECONDS } from './retry-schedule';
import { WebhookEndpoint, WebhookEventFilter } from './webhook';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookResponse, WebhookSender } from './webhook-sender';
import { WebhookSettings } from './webhook-settings';
import { newWebhookSecret } from './webhook-signature';

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Answers each send with the next scripted response (then 200), and keeps what was sent. */
class ScriptedSender extends WebhookSender {
  readonly sent: Sent[] = [];
  private readonly script: WebhookResponse[] = [];

  answer(...responses: (number | string)[]): void {
    for (const response of responses) {
      this.script.push(
        typeof response === 'number'
          ? { statusCode: response, error: null, durationMs: 12 }
          : { statusCode: null, error: response, durationMs: 10_000 },
      );
    }
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse> {
    this.sent.push({ url, headers, body });
    return this.script.shift() ?? { statusCode: 200, error: null, durationMs: 12 };
  }
}

describe(WebhookDeliveryService.name, () => {
  let store: InMemoryStore;
  let clock: SettableClock;
  let webhooks: InMemoryWebhookRepository;
  let inventory: InMemoryInventoryRepository;
  let sender: ScriptedSender;
  let worker: WebhookDeliveryService;

  beforeEach(() => {
    store = new InMemoryStore();
    // The real time: the standardwebhooks library refuses signatures more than 5 minutes away from it.
    clock = new SettableClock(new Date());
    webhooks = new InMemoryWebhookRepository(store);
    inventory = new InMemoryInventoryRepository(store);
    sender = new ScriptedSender();
    worker = new WebhookDeliveryService(webhooks, sender, clock, new WebhookSettings({ allowHttp: true, allowPrivateNetworks: true }));
  });

  const endpoint = (events: WebhookEventFilter[] = ['*'], url = 'https://hooks.example.com/in'): Promise<WebhookEndpoint> =>
    webhooks.create({
      id: `ep-${url}-${events.join()}`,
      url,
      events,
      description: null,
      secret: newWebhookSecret(),
      createdAt: clock.now(),
    });
  const createItem = (sku = 'A') => inventory.insert({ sku, productName: 'Laptop', totalQuantity: 5, availableQuantity: 5 }, clock.now());

  it('should send each new event once to a subscribed endpoint and mark it delivered on 2xx', async () => {
    const target = await endpoint();
    await createItem();
    expect(await worker.runOnce()).toEqual({ fannedOut: 1, delivered: 1, retried: 0, failed: 0 });
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0].url).toBe(target.url);
    expect(await webhooks.recentAttempts(target.id, 10)).toEqual([
      expect.objectContaining({
        eventId: store.events[0].id,
        eventType: 'inventory.created',
        attempt: 1,
        statusCode: 200,
        nextRetryAt: null,
      }),
    ]);
    expect(await worker.runOnce()).toEqual({ fannedOut: 0, delivered: 0, retried: 0, failed: 0 });
    expect(sender.sent).toHaveLength(1);
    expect(await webhooks.backlog()).toEqual({ pending: 0, oldestAt: null });
  });

  it('should sign with Standard Webhooks headers that the standardwebhooks library verifies, the body being the event', async () => {
    const target = await endpoint();
    await createItem();
    await worker.runOnce();
    const [{ headers, body }] = sender.sent;
    const event = store.events[0];
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': event.id });
    expect(new Webhook(target.secret).verify(body, headers)).toEqual({
      id: event.id,
      type: 'inventory.created',
      timestamp: event.timestamp.toISOString(),
      data: event.data,
    });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('should send only the event types an endpoint subscribed to', async () => {
    await endpoint(['inventory.deleted'], 'https://deleted.example.com/');
    await endpoint(['inventory.created'], 'https://created.example.com/');
    await createItem();
    await worker.runOnce();
    expect(sender.sent.map((sent) => sent.url)).toEqual(['https://created.example.com/']);
  });

  it('should retry after 500 on the schedule and mark the event delivered on the third try', async () => {
    const target = await endpoint();
    await createItem();
    sender.answer(500, 500, 200);
    expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    expect(await worker.runOnce()).toMatchObject({ delivered: 0, retried: 0 });
    clock.advanceSeconds(RETRY_DELAYS_SECONDS[0] * 1.2 + 1);
    expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    clock.advanceSeconds(RETRY_DELAYS_SECONDS[1] * 1.2 + 1);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    expect(sender.sent).toHaveLength(3);
    expect(new Set(sender.sent.map((sent) => sent.headers['webhook-id']))).toEqual(new Set([store.events[0].id]));
    for (const { body, headers } of sender.sent) expect(() => new Webhook(target.secret).verify(body, headers)).not.toThrow();
    const attempts = await webhooks.recentAttempts(target.id, 10);
    expect(attempts.map(({ attempt, statusCode }) => ({ attempt, statusCode }))).toEqual([
      { attempt: 3, statusCode: 200 },
      { attempt: 2, statusCode: 500 },
      { attempt: 1, statusCode: 500 },
    ]);
    const firstRetryIn = attempts[2].nextRetryAt!.getTime() - attempts[2].at.getTime();
    expect(firstRetryIn).toBeGreaterThanOrEqual(RETRY_DELAYS_SECONDS[0] * 800);
    expect(firstRetryIn).toBeLessThanOrEqual(RETRY_DELAYS_SECONDS[0] * 1200);
    expect(attempts[0].nextRetryAt).toBeNull();
    expect(await webhooks.backlog()).toEqual({ pending: 0, oldestAt: null });
  });

  it('should retry a timeout or a connection error, keeping the error', async () => {
    const target = await endpoint();
    await createItem();
    sender.answer('timeout after 10000 ms', 'connect ECONNREFUSED 127.0.0.1:9');
    expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    clock.advanceSeconds(RETRY_DELAYS_SECONDS[0] * 1.2 + 1);
    expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    clock.advanceSeconds(RETRY_DELAYS_SECONDS[1] * 1.2 + 1);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
    const attempts = await webhooks.recentAttempts(target.id, 10);
    expect(attempts.map(({ statusCode, error }) => ({ statusCode, error }))).toEqual([
      { statusCode: 200, error: null },
      { statusCode: null, error: 'connect ECONNREFUSED 127.0.0.1:9' },
      { statusCode: null, error: 'timeout after 10000 ms' },
    ]);
    expect(attempts[1].nextRetryAt!.getTime()).toBeGreaterThan(attempts[1].at.getTime());
  });

  it('should give the delivery up after the last scheduled retry', async () => {
    const target = await endpoint();
    await createItem();
    sender.answer(...RETRY_DELAYS_SECONDS.map(() => 503), 503);
    for (const delay of RETRY_DELAYS_SECONDS) {
      expect(await worker.runOnce()).toMatchObject({ retried: 1 });
      clock.advanceSeconds(delay * 1.2 + 1);
    }
    expect(await worker.runOnce()).toMatchObject({ failed: 1, retried: 0 });
    expect(sender.sent).toHaveLength(RETRY_DELAYS_SECONDS.length + 1);
    clock.advanceSeconds(86_400);
    expect(await worker.runOnce()).toEqual({ fannedOut: 0, delivered: 0, retried: 0, failed: 0 });
    const [last] = await webhooks.recentAttempts(target.id, 1);
    expect(last).toMatchObject({ attempt: RETRY_DELAYS_SECONDS.length + 1, statusCode: 503, nextRetryAt: null });
    expect(await webhooks.backlog()).toEqual({ pending: 0, oldestAt: null });
  });

  it('should disable an endpoint that answers 410 Gone and send it nothing more', async () => {
    const gone = await endpoint(['*'], 'https://gone.example.com/');
    const alive = await endpoint(['*'], 'https://alive.example.com/');
    await createItem('A');
    sender.answer(410);
    expect(await worker.runOnce()).toMatchObject({ failed: 1, delivered: 1 });
    expect(await webhooks.findById(gone.id)).toMatchObject({ disabledAt: clock.now() });
    expect(await webhooks.findById(alive.id)).toMatchObject({ disabledAt: null });
    await createItem('B');
    await worker.runOnce();
    expect(sender.sent.map((sent) => sent.url)).toEqual([
      'https://gone.example.com/',
      'https://alive.example.com/',
      'https://alive.example.com/',
    ]);
  });

  it("should send one SKU's events to an endpoint in order, the second only once the first is delivered", async () => {
    await endpoint();
    await createItem('A');
    await inventory.updateIfRulesHold('A', { totalQuantity: 6 }, clock.now());
    sender.answer(500);
    await worker.runOnce();
    expect(sender.sent.map((sent) => JSON.parse(sent.body).type)).toEqual(['inventory.created']);
    clock.advanceSeconds(RETRY_DELAYS_SECONDS[0] * 1.2 + 1);
    await worker.runOnce();
    await worker.runOnce();
    expect(sender.sent.map((sent) => JSON.parse(sent.body).type)).toEqual(['inventory.created', 'inventory.created', 'inventory.updated']);
  });

  it('should retry on the schedule the settings give, giving up after its last delay', async () => {
    const quick = new WebhookDeliveryService(
      webhooks,
      sender,
      clock,
      new WebhookSettings({ allowHttp: true, allowPrivateNetworks: true }, 30, 20, [0]),
    );
    await endpoint();
    await createItem();
    sender.answer(500, 500);
    expect(await quick.runOnce()).toMatchObject({ retried: 1 });
    expect(await quick.runOnce()).toMatchObject({ retried: 0, failed: 1 });
    expect(sender.sent).toHaveLength(2);
  });
});
