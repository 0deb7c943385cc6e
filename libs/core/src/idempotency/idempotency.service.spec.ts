import { IdempotencyKeyReusedError } from '../reservation/reservation.errors';
import { ReservationSettings } from '../reservation/reservation-settings';
import { InMemoryIdempotencyRepository } from '../testing/in-memory-idempotency.repository';
import { SettableClock } from '../testing/settable-clock';
import { IdempotencySettings } from './idempotency-record';
import { IdempotencyRequestInProgressError } from './idempotency.errors';
import { IdempotencyService } from './idempotency.service';

describe(IdempotencyService.name, () => {
  let clock: SettableClock;
  let service: IdempotencyService;
  const response = { statusCode: 201, body: { success: true } };

  beforeEach(() => {
    clock = new SettableClock();
    const settings = new IdempotencySettings(86_400, 30);
    service = new IdempotencyService(new InMemoryIdempotencyRepository(), clock, settings, new ReservationSettings(300, 604_800, 10));
  });

  it('should let the first request proceed and replay its stored response to a retry', async () => {
    const first = await service.begin('reserve', 'k', 'fp');
    expect(first.kind).toBe('proceed');
    if (first.kind !== 'proceed') return;
    await service.complete('reserve', 'k', first.token, response);
    expect(await service.begin('reserve', 'k', 'fp')).toEqual({ kind: 'replay', response });
  });

  it('should refuse another payload under the same key, in progress or completed', async () => {
    const first = await service.begin('reserve', 'k', 'fp');
    await expect(service.begin('reserve', 'k', 'other')).rejects.toThrow(IdempotencyKeyReusedError);
    if (first.kind === 'proceed') await service.complete('reserve', 'k', first.token, response);
    await expect(service.begin('reserve', 'k', 'other')).rejects.toThrow(IdempotencyKeyReusedError);
  });

  it('should answer a duplicate in flight with IdempotencyRequestInProgressError until the lease ends', async () => {
    await service.begin('reserve', 'k', 'fp');
    await expect(service.begin('reserve', 'k', 'fp')).rejects.toThrow(IdempotencyRequestInProgressError);
    clock.advanceSeconds(31);
    expect((await service.begin('reserve', 'k', 'fp')).kind).toBe('proceed');
  });

  it('should free a released key for a fresh attempt', async () => {
    const first = await service.begin('reserve', 'k', 'fp');
    if (first.kind === 'proceed') await service.release('reserve', 'k', first.token);
    expect((await service.begin('reserve', 'k', 'other')).kind).toBe('proceed');
  });

  it('should purge completed records only after the retention', async () => {
    const first = await service.begin('reserve', 'k', 'fp');
    if (first.kind === 'proceed') await service.complete('reserve', 'k', first.token, response);
    clock.advanceSeconds(86_399);
    expect(await service.purgeExpired()).toBe(0);
    clock.advanceSeconds(2);
    expect(await service.purgeExpired()).toBe(1);
    expect((await service.begin('reserve', 'k', 'other')).kind).toBe('proceed');
  });
});
