import { IdempotencyKeyReusedError } from '../idempotency/idempotency.errors';
import { InventoryNotFoundError } from '../inventory/inventory.errors';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryReservationRepository } from '../testing/in-memory-reservation.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { SettableClock } from '../testing/settable-clock';
import { InsufficientStockError, PerCustomerLimitError, ReserveQuantityError } from './reservation.errors';
import { ReservationSettings } from './reservation-settings';
import { ReservationService } from './reservation.service';

describe(ReservationService.name, () => {
  const settings = new ReservationSettings(300, 3600);
  let clock: SettableClock;
  let inventory: InMemoryInventoryRepository;
  let repository: InMemoryReservationRepository;
  let service: ReservationService;

  beforeEach(async () => {
    clock = new SettableClock();
    const store = new InMemoryStore();
    inventory = new InMemoryInventoryRepository(store);
    repository = new InMemoryReservationRepository(store);
    service = new ReservationService(repository, clock, settings, new MaintenanceSettings(2));
    await inventory.insert({ sku: 'A', productName: 'Laptop', totalQuantity: 10, availableQuantity: 10 }, clock.now());
  });

  const command = (overrides = {}) => ({ sku: 'A', userId: 'u1', quantity: 2, idempotencyKey: 'k1', ...overrides });

  describe('reserve', () => {
    it('should hold stock until now + TTL', async () => {
      const reservation = await service.reserve(command());
      expect(reservation).toMatchObject({ sku: 'A', quantity: 2, status: 'RESERVED', createdAt: clock.now(), finishedAt: null });
      expect(reservation.expiresAt).toEqual(new Date(clock.now().getTime() + 300_000));
      expect(reservation.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 8, reservedQuantity: 2 });
    });

    it('should throw InsufficientStockError with the available count', async () => {
      await expect(service.reserve(command({ quantity: 11 }))).rejects.toThrow(new InsufficientStockError('A', 11, 10));
    });

    it('should throw InventoryNotFoundError for an unknown SKU', async () => {
      await expect(service.reserve(command({ sku: 'B' }))).rejects.toThrow(InventoryNotFoundError);
    });

    it('should return the existing hold for a repeated key with the same payload', async () => {
      const first = await service.reserve(command());
      expect(await service.reserve(command())).toEqual(first);
      expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 8 });
    });

    it.each([{ quantity: 3 }, { userId: 'u2' }])('should refuse a repeated key with a different payload (%p)', async (change) => {
      await service.reserve(command());
      await expect(service.reserve(command(change))).rejects.toThrow(IdempotencyKeyReusedError);
    });
  });

  describe('reserve: quantity bound', () => {
    it('should refuse quantities outside 1 to the configured maximum without touching stock', async () => {
      const limits = { maxQuantity: 3, maxPerCustomer: null };
      const small = new ReservationService(repository, clock, new ReservationSettings(300, 3600, limits), new MaintenanceSettings(2));
      await expect(small.reserve(command({ quantity: 4 }))).rejects.toThrow(new ReserveQuantityError(4, 3));
      await expect(small.reserve(command({ quantity: 0 }))).rejects.toThrow(ReserveQuantityError);
      await expect(small.reserve(command({ quantity: 1.5 }))).rejects.toThrow(ReserveQuantityError);
      expect(await small.reserve(command({ quantity: 3 }))).toMatchObject({ quantity: 3 });
      expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 7, reservedQuantity: 3 });
    });

    it('should default the maximum to 10000', async () => {
      await inventory.insert({ sku: 'BIG', productName: 'Screws', totalQuantity: 20_000, availableQuantity: 20_000 }, clock.now());
      await expect(service.reserve(command({ sku: 'BIG', quantity: 10_001 }))).rejects.toThrow(ReserveQuantityError);
      expect(await service.reserve(command({ sku: 'BIG', quantity: 10_000 }))).toMatchObject({ quantity: 10_000 });
    });
  });

  describe('reserve: per-customer cap', () => {
    const withDefaultCap = (maxPerCustomer: number | null) => {
      const limits = { maxQuantity: 10_000, maxPerCustomer };
      return new ReservationService(repository, clock, new ReservationSettings(300, 3600, limits), new MaintenanceSettings(2));
    };
    const key = (() => {
      let n = 0;
      return () => `cap-${n++}`;
    })();

    it("should refuse a request that would take a customer past the SKU's cap, naming the cap and what is held", async () => {
      await inventory.updateIfRulesHold('A', { maxPerCustomer: 3 }, clock.now());
      await service.reserve(command({ quantity: 2, idempotencyKey: key() }));
      await expect(service.reserve(command({ quantity: 2, idempotencyKey: key() }))).rejects.toThrow(
        new PerCustomerLimitError('A', 'u1', 3, 2, 2),
      );
      expect(await service.reserve(command({ quantity: 1, idempotencyKey: key() }))).toMatchObject({ quantity: 1 });
      expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 7, reservedQuantity: 3 });
    });

    it('should give the error the details a client reads', async () => {
      await inventory.updateIfRulesHold('A', { maxPerCustomer: 1 }, clock.now());
      const error = await service.reserve(command({ quantity: 2 })).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'PER_CUSTOMER_LIMIT_EXCEEDED',
        kind: 'conflict',
        details: { sku: 'A', userId: 'u1', maxPerCustomer: 1, heldByCustomer: 0, requested: 2 },
      });
    });

    it("should apply the configured default to a SKU without a cap, and the SKU's own cap over the default", async () => {
      const capped = withDefaultCap(1);
      await capped.reserve(command({ quantity: 1, idempotencyKey: key() }));
      await expect(capped.reserve(command({ quantity: 1, idempotencyKey: key() }))).rejects.toThrow(PerCustomerLimitError);
      await inventory.updateIfRulesHold('A', { maxPerCustomer: 4 }, clock.now());
      expect(await capped.reserve(command({ quantity: 3, idempotencyKey: key() }))).toMatchObject({ quantity: 3 });
    });

    it("should count only the customer's active holds of that SKU", async () => {
      await inventory.insert({ sku: 'B', productName: 'Mouse', totalQuantity: 10, availableQuantity: 10 }, clock.now());
      const capped = withDefaultCap(2);
      const cancelled = await capped.reserve(command({ quantity: 2, idempotencyKey: key() }));
      await repository.cancelIfActive(cancelled.id, settings.finishAt(clock.now()));
      await capped.reserve(command({ quantity: 2, idempotencyKey: key() }));
      await capped.reserve(command({ sku: 'B', quantity: 2, idempotencyKey: key() }));
      await capped.reserve(command({ userId: 'u2', quantity: 2, idempotencyKey: key() }));
      await expect(capped.reserve(command({ quantity: 1, idempotencyKey: key() }))).rejects.toThrow(
        new PerCustomerLimitError('A', 'u1', 2, 2, 1),
      );
      clock.advanceSeconds(300); // the holds are due: no longer counted, even before a sweep
      expect(await capped.reserve(command({ quantity: 2, idempotencyKey: key() }))).toMatchObject({ status: 'RESERVED' });
    });

    it('should report stock that is short before the cap', async () => {
      await inventory.updateIfRulesHold('A', { maxPerCustomer: 1 }, clock.now());
      await expect(service.reserve(command({ quantity: 11 }))).rejects.toThrow(InsufficientStockError);
    });

    it('should return the existing hold for a retried request even when it took the customer to the cap', async () => {
      await inventory.updateIfRulesHold('A', { maxPerCustomer: 2 }, clock.now());
      const first = await service.reserve(command({ quantity: 2 }));
      expect(await service.reserve(command({ quantity: 2 }))).toEqual(first);
    });
  });

  describe('expireDue', () => {
    it('should sweep in batches until no due hold is left', async () => {
      for (let i = 0; i < 5; i++) await service.reserve(command({ quantity: 1, idempotencyKey: `k${i}` }));
      const expireDue = jest.spyOn(repository, 'expireDue');
      clock.advanceSeconds(300);
      expect(await service.expireDue()).toBe(5);
      expect(expireDue).toHaveBeenCalledTimes(3);
      expect(expireDue).toHaveBeenCalledWith({ now: clock.now(), retainUntil: new Date(clock.now().getTime() + 3_600_000) }, 2);
      expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 10, reservedQuantity: 0 });
    });

    it('should stop after the batch limit of one sweep', async () => {
      const oneBatchPerRun = new ReservationService(repository, clock, settings, new MaintenanceSettings(2, 1));
      for (let i = 0; i < 5; i++) await service.reserve(command({ quantity: 1, idempotencyKey: `k${i}` }));
      clock.advanceSeconds(301);
      expect(await oneBatchPerRun.expireDue()).toBe(2);
    });
  });

  describe('purgeFinished', () => {
    it('should delete holds finished longer ago than the retention', async () => {
      const old = await service.reserve(command({ idempotencyKey: 'old' }));
      await repository.cancelIfActive(old.id, settings.finishAt(clock.now()));
      clock.advanceSeconds(3601);
      const active = await service.reserve(command({ idempotencyKey: 'active' }));
      expect(await service.purgeFinished()).toBe(1);
      expect(await repository.findById(old.id)).toBeNull();
      expect(await repository.findById(active.id)).not.toBeNull();
    });
  });

  describe('reconcile', () => {
    it('should throw InventoryNotFoundError for an unknown SKU', async () => {
      await expect(service.reconcile('B')).rejects.toThrow(InventoryNotFoundError);
    });
  });
});
