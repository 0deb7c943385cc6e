import { ConcurrentModificationError } from '../errors/domain-error';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { InMemoryIdempotencyRepository } from '../testing/in-memory-idempotency.repository';
import { SettableClock } from '../testing/settable-clock';
import { IdempotencyKeyReusedError, IdempotencyRequestInProgressError } from './idempotency.errors';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { IdempotencySettings } from './idempotency-settings';

describe(IdempotencyService.name, () => {
  const settings = new IdempotencySettings(86_400, 30);
  let clock: SettableClock;
  let records: InMemoryIdempotencyRepository;
  let service: IdempotencyService;
  const response = { statusCode: 201, body: { success: true } };

  beforeEach(() => {
    clock = new SettableClock();
    records = new InMemoryIdempotencyRepository();
    service = new IdempotencyService(records, clock, settings, new MaintenanceSettings(10));
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

  it('should keep a renewed claim from a duplicate past the first lease, until the renewed lease ends', async () => {
    const first = await service.begin('reserve', 'k', 'fp');
    if (first.kind !== 'proceed') throw new Error('expected to proceed');
    clock.advanceSeconds(20);
    expect(await service.renew('reserve', 'k', first.token)).toBe(true);
    clock.advanceSeconds(20);
    await expect(service.begin('reserve', 'k', 'fp')).rejects.toThrow(IdempotencyRequestInProgressError);
    clock.advanceSeconds(11);
    expect((await service.begin('reserve', 'k', 'fp')).kind).toBe('proceed');
    expect(await service.renew('reserve', 'k', first.token)).toBe(false);
  });

  it('should renew a third of the lease apart', () => {
    expect(settings.renewIntervalMs).toBe(10_000);
    expect(new IdempotencySettings(86_400, 1).renewIntervalMs).toBe(333);
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

  it('should pass the completion time and the retention to the store', async () => {
    const complete = jest.spyOn(records, 'complete');
    await service.complete('reserve', 'k', 'token', response);
    expect(complete).toHaveBeenCalledWith({
      scope: 'reserve',
      key: 'k',
      token: 'token',
      response,
      now: clock.now(),
      retainUntil: new Date(clock.now().getTime() + 86_400_000),
    });
  });

  it('should purge in batches of the maintenance batch size', async () => {
    const purge = jest.spyOn(records, 'purgeCreatedBefore').mockResolvedValueOnce(10).mockResolvedValueOnce(4);
    expect(await service.purgeExpired()).toBe(14);
    expect(purge).toHaveBeenCalledTimes(2);
    expect(purge).toHaveBeenCalledWith(new Date(clock.now().getTime() - 86_400_000), clock.now(), 10);
  });

  it('should claim again when the key was released between the refused claim and the read', async () => {
    const claim = jest.spyOn(records, 'claim').mockResolvedValueOnce({ status: 'contended' });
    expect((await service.begin('reserve', 'k', 'fp')).kind).toBe('proceed');
    expect(claim).toHaveBeenCalledTimes(2);
  });

  it('should answer ConcurrentModificationError (409), not a bare error, when every claim lost a race', async () => {
    const stub = { claim: jest.fn().mockResolvedValue({ status: 'contended' }) };
    const racing = new IdempotencyService(stub as unknown as IdempotencyRepository, clock, settings, new MaintenanceSettings(10));
    const failure = racing.begin('reserve', 'k', 'fp');
    await expect(failure).rejects.toBeInstanceOf(ConcurrentModificationError);
    await expect(failure).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION', details: { idempotencyKey: 'k' } });
    expect(stub.claim).toHaveBeenCalledTimes(3);
  });
});
