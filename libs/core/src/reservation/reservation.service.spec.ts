import { IdempotencyKeyReusedError } from '../idempotency/idempotency.errors';
import { InventoryNotFoundError } from '../inventory/inventory.errors';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryReservationRepository } from '../testing/in-memory-reservation.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { SettableClock } from '../testing/settable-clock';
import { InsufficientStockError } from './reservation.errors';
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
      await expect(service.reserve(command({ quantity: 11 }))).rejects.toThrow(
        new InsufficientStockError('A', 11, 10),
      );
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
