import { HoldFinish, HoldLine, ReleaseResult } from '@app/core';
import { InMemoryReservationRepository, InMemoryStore } from '@app/core/testing';
import { AppMetrics } from './app-metrics';
import { countHoldEndings } from './hold-ending-counts';

describe(countHoldEndings.name, () => {
  const now = new Date('2026-01-06T10:00:00.000Z');
  const finish: HoldFinish = { now, retainUntil: new Date(now.getTime() + 3_600_000) };
  let store: InMemoryStore;
  let repository: InMemoryReservationRepository;
  let metrics: AppMetrics;

  beforeEach(async () => {
    store = new InMemoryStore();
    for (const sku of ['A', 'B']) {
      store.items.set(sku, {
        sku,
        productName: sku,
        totalQuantity: 10,
        availableQuantity: 10,
        reservedQuantity: 0,
        soldQuantity: 0,
        maxPerCustomer: null,
        lowStockThreshold: null,
        stockBuckets: 1,
        createdAt: now,
        updatedAt: now,
      });
    }
    repository = new InMemoryReservationRepository(store);
    metrics = new AppMetrics();
    countHoldEndings(repository, metrics);
    await repository.tryReserve({
      id: 'h1',
      userId: 'u',
      items: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      clientId: 'anonymous',
      idempotencyKey: 'k1',
      createdAt: now,
      expiresAt: new Date(now.getTime() + 300_000),
    });
  });

  const cancelled = async () =>
    (await metrics.registry.getSingleMetric('inventory_holds_transitions_total')!.get()).values.find((v) => v.labels.to === 'cancelled')!
      .value;

  it('should pass who made the change on to the repository, for the ledger', async () => {
    const target = new InMemoryReservationRepository(store);
    const confirm = jest.spyOn(target, 'confirmIfActive');
    const release = jest.spyOn(target, 'releaseIfActive');
    countHoldEndings(target, new AppMetrics());
    const lines = [{ sku: 'B', quantity: 1 }];
    await target.releaseIfActive('h1', lines, finish, { actor: 'key-1' });
    await target.confirmIfActive('h1', finish, { actor: 'key-2' });
    expect(release).toHaveBeenCalledWith('h1', lines, finish, { actor: 'key-1' });
    expect(confirm).toHaveBeenCalledWith('h1', finish, { actor: 'key-2' });
  });

  it('should count a release of every unit left as one cancelled hold, and a partial release as none', async () => {
    expect((await repository.releaseIfActive('h1', [{ sku: 'B', quantity: 1 }], finish)).status).toBe('released');
    expect(await cancelled()).toBe(0);
    const result = await repository.releaseIfActive('h1', [{ sku: 'A', quantity: 2 }], finish);
    expect(result).toMatchObject({ status: 'released', reservation: { status: 'CANCELLED' } });
    expect(await cancelled()).toBe(1);
    expect((await repository.releaseIfActive('h1', [{ sku: 'A', quantity: 2 }], finish)).status).toBe('not_active');
    expect(await cancelled()).toBe(1);
  });

  it('should count a cancelling release once also when the adapter ends it in its own statement', async () => {
    // Its releaseIfActive never calls the wrapped cancelIfActive (it runs on an unwrapped repository over the same store).
    const ownStatement = new InMemoryReservationRepository(store);
    const unwrapped = new InMemoryReservationRepository(store);
    ownStatement.releaseIfActive = (id: string, lines: HoldLine[], at: HoldFinish): Promise<ReleaseResult> =>
      unwrapped.releaseIfActive(id, lines, at);
    const fresh = new AppMetrics();
    countHoldEndings(ownStatement, fresh);
    metrics = fresh;
    const all = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(await ownStatement.releaseIfActive('h1', all, finish)).toMatchObject({ reservation: { status: 'CANCELLED' } });
    expect(await cancelled()).toBe(1);
  });
});
