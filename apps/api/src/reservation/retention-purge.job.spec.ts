import {
  IdempotencyService,
  IdempotencySettings,
  MaintenanceSettings,
  ReservationNotFoundError,
  ReservationService,
  ReservationSettings,
  WebhookHistoryService,
  WebhookSettings,
} from '@app/core';
import {
  InMemoryEventFeedRepository,
  InMemoryIdempotencyRepository,
  InMemoryInventoryRepository,
  InMemoryReservationRepository,
  InMemoryStore,
  InMemoryWebhookRepository,
  SettableClock,
} from '@app/core/testing';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RetentionPurgeJob } from './retention-purge.job';

describe(RetentionPurgeJob.name, () => {
  const reservationSettings = new ReservationSettings(300, 3_600);
  const maintenance = new MaintenanceSettings(100);
  let clock: SettableClock;
  let reservations: ReservationService;
  let idempotency: IdempotencyService;
  let webhookHistory: WebhookHistoryService;
  let webhooks: InMemoryWebhookRepository;
  let events: InMemoryEventFeedRepository;
  let scheduler: SchedulerRegistry;

  beforeEach(async () => {
    clock = new SettableClock();
    const store = new InMemoryStore();
    const inventory = new InMemoryInventoryRepository(store);
    await inventory.insert({ sku: 'A', productName: 'Laptop', totalQuantity: 10, availableQuantity: 10 }, clock.now());
    reservations = new ReservationService(new InMemoryReservationRepository(store), clock, reservationSettings, maintenance);
    const idempotencySettings = new IdempotencySettings(86_400, 30);
    idempotency = new IdempotencyService(new InMemoryIdempotencyRepository(), clock, idempotencySettings, maintenance);
    const webhookSettings = new WebhookSettings({ allowHttp: false, allowPrivateNetworks: false }, 30, 20, undefined, 3_600);
    webhooks = new InMemoryWebhookRepository(store);
    events = new InMemoryEventFeedRepository(store);
    webhookHistory = new WebhookHistoryService(webhooks, clock, webhookSettings, maintenance);
    scheduler = new SchedulerRegistry();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const createJob = (retentionPurgeSeconds = 600) =>
    new RetentionPurgeJob(reservations, idempotency, webhookHistory, scheduler, {
      expirySweepSeconds: 5,
      retentionPurgeSeconds,
      webhookDeliverySeconds: 1,
    });

  it('should delete finished holds, idempotency records and webhook history past their retention, and keep the rest', async () => {
    const job = createJob();
    const finished = await reservations.reserve({ sku: 'A', userId: 'u', quantity: 1, idempotencyKey: 'finished' });
    const claim = await idempotency.begin('reserve', 'old-key', 'fp');
    if (claim.kind === 'proceed') await idempotency.complete('reserve', 'old-key', claim.token, { statusCode: 201, body: {} });
    clock.advanceSeconds(301);
    await reservations.expireDue();
    clock.advanceSeconds(86_400);
    const active = await reservations.reserve({ sku: 'A', userId: 'u', quantity: 1, idempotencyKey: 'active' });
    await webhooks.fanOut(clock.now(), 100);

    // Events: inventory.created, reservation.created and .expired are past the hour kept; the active hold's is not.
    expect(await job.purge()).toEqual({ reservations: 1, idempotencyRecords: 1, webhookHistory: 3 });
    expect((await events.readAfter(null, 10)).events.map((event) => event.type)).toEqual(['reservation.created']);
    await expect(reservations.get(finished.id)).rejects.toThrow(ReservationNotFoundError);
    expect((await reservations.get(active.id)).status).toBe('RESERVED');
    expect(await job.purge()).toEqual({ reservations: 0, idempotencyRecords: 0, webhookHistory: 0 });
  });

  it.each([
    [600, '0 */10 * * * *'],
    [3_600, '0 0 */1 * * *'],
  ])('should purge on a cron job every configured interval (%i s: %s), not at startup, until shutdown', async (seconds, expression) => {
    const purgeFinished = jest.spyOn(reservations, 'purgeFinished');
    const job = createJob(seconds);
    job.onApplicationBootstrap();
    expect(scheduler.getCronJob('retention-purge').cronTime.source).toBe(expression);
    expect(purgeFinished).not.toHaveBeenCalled();

    await job.beforeApplicationShutdown();
    expect(scheduler.doesExist('cron', 'retention-purge')).toBe(false);
    expect(await job.purge()).toEqual({ reservations: 0, idempotencyRecords: 0, webhookHistory: 0 });
    expect(purgeFinished).not.toHaveBeenCalled();
  });

  it('should wait at shutdown for the purge in progress', async () => {
    const job = createJob();
    let release!: (count: number) => void;
    jest.spyOn(reservations, 'purgeFinished').mockReturnValueOnce(new Promise((resolve) => (release = resolve)));
    const purging = job.purge();
    expect(await job.purge()).toEqual({ reservations: 0, idempotencyRecords: 0, webhookHistory: 0 });

    let stopped = false;
    const shutdown = job.beforeApplicationShutdown().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release(3);
    expect(await purging).toEqual({ reservations: 3, idempotencyRecords: 0, webhookHistory: 0 });
    await shutdown;
    expect(stopped).toBe(true);
  });
});
