import { ReservationService, MaintenanceSettings, ReservationSettings } from '@app/core';
import { InMemoryInventoryRepository, InMemoryReservationRepository, InMemoryStore, SettableClock } from '@app/core/testing';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppMetrics } from '../metrics/app-metrics';
import { ExpirySweepJob } from './expiry-sweep.job';

/** A promise the test settles by hand, to hold a sweep in progress. */
function gate(): { promise: Promise<number>; open: (value: number) => void } {
  let open!: (value: number) => void;
  const promise = new Promise<number>((resolve) => (open = resolve));
  return { promise, open };
}

describe(ExpirySweepJob.name, () => {
  let clock: SettableClock;
  let inventory: InMemoryInventoryRepository;
  let reservations: ReservationService;
  let scheduler: SchedulerRegistry;
  let job: ExpirySweepJob;

  beforeEach(async () => {
    clock = new SettableClock();
    const store = new InMemoryStore();
    inventory = new InMemoryInventoryRepository(store);
    reservations = new ReservationService(
      new InMemoryReservationRepository(store),
      clock,
      new ReservationSettings(300, 3_600),
      new MaintenanceSettings(100),
    );
    scheduler = new SchedulerRegistry();
    job = new ExpirySweepJob(
      reservations,
      scheduler,
      { expirySweepSeconds: 7, retentionPurgeSeconds: 600, webhookDeliverySeconds: 1 },
      new AppMetrics(),
    );
    await inventory.insert({ sku: 'A', productName: 'Laptop', totalQuantity: 10, availableQuantity: 10 }, clock.now());
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await job.beforeApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const reserve = (key: string, quantity = 2) => reservations.reserve({ sku: 'A', userId: 'u', quantity, idempotencyKey: key });

  it('should expire due holds and return their stock, leaving others held', async () => {
    await reserve('due-1');
    await reserve('due-2');
    clock.advanceSeconds(200);
    const later = await reserve('later', 3);
    clock.advanceSeconds(101);
    expect(await job.sweep()).toBe(2);
    expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 7, reservedQuantity: 3 });
    expect((await reservations.get(later.id)).status).toBe('RESERVED');
    expect(await job.sweep()).toBe(0);
  });

  it('should register a cron job with the configured interval, sweep once at startup and on each tick', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-06T10:00:00.000Z') });
    const expireDue = jest.spyOn(reservations, 'expireDue').mockResolvedValue(0);
    job.onApplicationBootstrap();
    const cron = scheduler.getCronJob('expiry-sweep');
    expect(cron.cronTime.source).toBe('*/7 * * * * *');
    expect(cron.isActive).toBe(true);
    expect(expireDue).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(7_000);
    expect(expireDue).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(14_000);
    expect(expireDue).toHaveBeenCalledTimes(4);
  });

  it('should skip a sweep asked for while one is in progress', async () => {
    const held = gate();
    const expireDue = jest.spyOn(reservations, 'expireDue').mockReturnValueOnce(held.promise);
    const first = job.sweep();
    expect(await job.sweep()).toBe(0);
    expect(expireDue).toHaveBeenCalledTimes(1);
    held.open(4);
    expect(await first).toBe(4);
    expireDue.mockResolvedValueOnce(1);
    expect(await job.sweep()).toBe(1);
  });

  it('should log a failed sweep and sweep again next time', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(reservations, 'expireDue').mockRejectedValueOnce(new Error('database unavailable')).mockResolvedValueOnce(2);
    expect(await job.sweep()).toBe(0);
    expect(error).toHaveBeenCalledWith('expiry-sweep failed; it will run again', expect.stringContaining('database unavailable'));
    expect(await job.sweep()).toBe(2);
  });

  it('should wait at shutdown for the sweep in progress, remove the cron job and start no sweep after', async () => {
    const held = gate();
    const expireDue = jest.spyOn(reservations, 'expireDue').mockReturnValueOnce(held.promise).mockResolvedValue(0);
    job.onApplicationBootstrap();
    const cron = scheduler.getCronJob('expiry-sweep');

    let stopped = false;
    const shutdown = job.beforeApplicationShutdown().then(() => (stopped = true));
    expect(scheduler.doesExist('cron', 'expiry-sweep')).toBe(false);
    expect(cron.isActive).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);

    held.open(0);
    await shutdown;
    expect(stopped).toBe(true);
    expect(await job.sweep()).toBe(0);
    expect(expireDue).toHaveBeenCalledTimes(1);
  });
});
