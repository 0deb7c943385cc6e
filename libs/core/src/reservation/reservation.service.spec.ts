import { IdempotencyKeyReusedError } from '../idempotency/idempotency.errors';
import { InventoryNotFoundError } from '../inventory/inventory.errors';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryReservationRepository } from '../testing/in-memory-reservation.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { SettableClock } from '../testing/settable-clock';
import {
  HoldLinesError,
  HoldSecondsError,
  HoldSkusNotFoundError,
  InsufficientStockError,
  PerCustomerLimitError,
  ReserveQuantityError,
} from './reservation.errors';
import { ReservationSettings } from './reservation-settings';
import { ReservationService } from './reservation.service';

describe(ReservationService.name, () => {
  const settings = new ReservationSettings(300, 3600);
  let clock: SettableClock;
  let inventory: InMemoryInventoryRepository;
  let repository: InMemoryReservationRepository;
  let service: ReservationService;
  let shared: InMemoryStore;
  const store = () => shared.reservations;

  beforeEach(async () => {
    clock = new SettableClock();
    shared = new InMemoryStore();
    inventory = new InMemoryInventoryRepository(shared);
    repository = new InMemoryReservationRepository(shared);
    service = new ReservationService(repository, clock, settings, new MaintenanceSettings(2));
    await inventory.insert({ sku: 'A', productName: 'Laptop', totalQuantity: 10, availableQuantity: 10 }, clock.now());
  });

  const command = (overrides = {}) => ({ sku: 'A', userId: 'u1', quantity: 2, idempotencyKey: 'k1', ...overrides });

  describe('reserve', () => {
    it('should hold stock until now + TTL', async () => {
      const reservation = await service.reserve(command());
      expect(reservation).toMatchObject({
        items: [{ sku: 'A', quantity: 2 }],
        status: 'RESERVED',
        createdAt: clock.now(),
        finishedAt: null,
      });
      expect(reservation.expiresAt).toEqual(new Date(clock.now().getTime() + 300_000));
      expect(reservation.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 8, reservedQuantity: 2 });
    });

    it('should throw InsufficientStockError with the available count, in the original details and as the one shortage', async () => {
      const error = await service.reserve(command({ quantity: 11 })).catch((e: unknown) => e);
      expect(error).toEqual(new InsufficientStockError([{ sku: 'A', requested: 11, available: 10 }]));
      expect(error).toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        message: "Insufficient stock for 'A': requested 11, available 10",
        details: { sku: 'A', requested: 11, available: 10, shortages: [{ sku: 'A', requested: 11, available: 10 }] },
      });
    });

    it('should answer an unknown SKU with INVENTORY_NOT_FOUND naming it (sku and missing)', async () => {
      const error = await service.reserve(command({ sku: 'B' })).catch((e: unknown) => e);
      expect(error).toEqual(new HoldSkusNotFoundError(['B']));
      expect(error).toMatchObject({ code: 'INVENTORY_NOT_FOUND', kind: 'not_found', details: { sku: 'B', missing: ['B'] } });
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

  describe('hold (a cart)', () => {
    const cart = (items: { sku: string; quantity: number }[], overrides = {}) => ({
      userId: 'u1',
      items,
      idempotencyKey: 'c1',
      ...overrides,
    });
    const levels = async (...skus: string[]) =>
      Promise.all(skus.map(async (sku) => inventory.findBySku(sku).then((item) => [item!.availableQuantity, item!.reservedQuantity])));

    beforeEach(async () => {
      await inventory.insert({ sku: 'B', productName: 'Mouse', totalQuantity: 5, availableQuantity: 5 }, clock.now());
      await inventory.insert({ sku: 'C', productName: 'Cable', totalQuantity: 3, availableQuantity: 3 }, clock.now());
    });

    it('should hold every line at once, one line per SKU in SKU byte order', async () => {
      const hold = await service.hold(
        cart([
          { sku: 'C', quantity: 1 },
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
        ]),
      );
      expect(hold).toMatchObject({
        userId: 'u1',
        status: 'RESERVED',
        items: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
          { sku: 'C', quantity: 1 },
        ],
      });
      expect(await levels('A', 'B', 'C')).toEqual([
        [8, 2],
        [2, 3],
        [2, 1],
      ]);
      expect((await repository.findById(hold.id))?.items).toEqual(hold.items);
    });

    it('should sum lines naming the same SKU before checking stock', async () => {
      const hold = await service.hold(
        cart([
          { sku: 'B', quantity: 2 },
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 3 },
        ]),
      );
      expect(hold.items).toEqual([
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 5 },
      ]);
      // 3 + 3 > 3 available, though each line alone fits: the sum is what is checked.
      const error = await service
        .hold(
          cart(
            [
              { sku: 'C', quantity: 2 },
              { sku: 'C', quantity: 2 },
            ],
            { idempotencyKey: 'c2' },
          ),
        )
        .catch((e: unknown) => e);
      expect(error).toEqual(new InsufficientStockError([{ sku: 'C', requested: 4, available: 3 }]));
      expect(await levels('C')).toEqual([[3, 0]]);
    });

    it('should hold nothing when one line is short, and list every short line', async () => {
      const error = await service
        .hold(
          cart([
            { sku: 'A', quantity: 2 },
            { sku: 'C', quantity: 4 },
            { sku: 'B', quantity: 6 },
          ]),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InsufficientStockError);
      expect(error).toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        details: {
          shortages: [
            { sku: 'B', requested: 6, available: 5 },
            { sku: 'C', requested: 4, available: 3 },
          ],
        },
      });
      expect((error as InsufficientStockError).details).not.toHaveProperty('sku');
      expect((error as Error).message).toContain("'B' (requested 6, available 5)");
      expect(await levels('A', 'B', 'C')).toEqual([
        [10, 0],
        [5, 0],
        [3, 0],
      ]);
      expect(store().size).toBe(0);
    });

    it('should hold nothing when SKUs are unknown, and list every one of them (before any shortage)', async () => {
      const error = await service
        .hold(
          cart([
            { sku: 'Z', quantity: 1 },
            { sku: 'A', quantity: 2 },
            { sku: 'C', quantity: 9 },
            { sku: 'X', quantity: 1 },
          ]),
        )
        .catch((e: unknown) => e);
      expect(error).toEqual(new HoldSkusNotFoundError(['X', 'Z']));
      expect(error).toMatchObject({ code: 'INVENTORY_NOT_FOUND', kind: 'not_found', details: { sku: 'X', missing: ['X', 'Z'] } });
      expect(await levels('A', 'C')).toEqual([
        [10, 0],
        [3, 0],
      ]);
    });

    it('should last RESERVATION_TTL_SECONDS by default and ttlSeconds when given, up to the largest TTL', async () => {
      const line = [{ sku: 'A', quantity: 1 }];
      const byDefault = await service.hold(cart(line, { idempotencyKey: 't1' }));
      expect(byDefault.expiresAt).toEqual(new Date(clock.now().getTime() + 300_000));
      const own = await service.hold(cart(line, { idempotencyKey: 't2', ttlSeconds: 600 }));
      expect(own.expiresAt).toEqual(new Date(clock.now().getTime() + 600_000));
      const longest = await service.hold(cart(line, { idempotencyKey: 't3', ttlSeconds: 3600 }));
      expect(longest.expiresAt).toEqual(new Date(clock.now().getTime() + 3_600_000));
      for (const ttlSeconds of [3601, 0, 1.5]) {
        await expect(service.hold(cart(line, { idempotencyKey: `bad-${ttlSeconds}`, ttlSeconds }))).rejects.toThrow(
          new HoldSecondsError('ttlSeconds', ttlSeconds, 3600),
        );
      }
      expect(await levels('A')).toEqual([[7, 3]]);
    });

    it('should take the largest TTL from the settings', async () => {
      const limits = { maxQuantity: 10_000, maxPerCustomer: null, maxTtlSeconds: 120 };
      const short = new ReservationService(repository, clock, new ReservationSettings(60, 3600, limits), new MaintenanceSettings(2));
      const line = [{ sku: 'A', quantity: 1 }];
      await expect(short.hold(cart(line, { ttlSeconds: 121 }))).rejects.toMatchObject({
        code: 'INVALID_SECONDS',
        kind: 'invalid',
        details: { field: 'ttlSeconds', value: 121, maxSeconds: 120 },
      });
      expect((await short.hold(cart(line, { ttlSeconds: 120 }))).expiresAt).toEqual(new Date(clock.now().getTime() + 120_000));
    });

    it('should refuse no lines, more than 100 distinct SKUs, and lines (or sums) outside 1 to the largest quantity', async () => {
      await expect(service.hold(cart([]))).rejects.toThrow(new HoldLinesError(0, 100));
      const many = Array.from({ length: 101 }, (_, n) => ({ sku: `S${String(n).padStart(3, '0')}`, quantity: 1 }));
      await expect(service.hold(cart(many))).rejects.toThrow(new HoldLinesError(101, 100));
      await expect(service.hold(cart([{ sku: 'A', quantity: 0 }]))).rejects.toThrow(new ReserveQuantityError(0, 10_000));
      await expect(service.hold(cart([{ sku: 'A', quantity: 10_001 }]))).rejects.toThrow(ReserveQuantityError);
      await expect(
        service.hold(
          cart([
            { sku: 'A', quantity: 6_000 },
            { sku: 'A', quantity: 5_000 },
          ]),
        ),
      ).rejects.toThrow(new ReserveQuantityError(11_000, 10_000));
      expect(await levels('A')).toEqual([[10, 0]]);
    });

    it('should accept 100 distinct SKUs, and more entries than that when they sum to 100 lines', async () => {
      const skus = Array.from({ length: 100 }, (_, n) => `S${String(n).padStart(3, '0')}`);
      for (const sku of skus) await inventory.insert({ sku, productName: sku, totalQuantity: 2, availableQuantity: 2 }, clock.now());
      const hold = await service.hold(cart([...skus, skus[0]].map((sku) => ({ sku, quantity: 1 }))));
      expect(hold.items).toHaveLength(100);
      expect(hold.items[0]).toEqual({ sku: 'S000', quantity: 2 });
    });

    it('should return the existing hold for a repeated key with the same cart, in any order or split', async () => {
      const first = await service.hold(
        cart([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ]),
      );
      const again = await service.hold(
        cart([
          { sku: 'B', quantity: 1 },
          { sku: 'A', quantity: 1 },
          { sku: 'A', quantity: 1 },
        ]),
      );
      expect(again).toEqual(first);
      expect(await levels('A', 'B')).toEqual([
        [8, 2],
        [4, 1],
      ]);
    });

    it.each([
      [
        'another quantity',
        {
          items: [
            { sku: 'A', quantity: 3 },
            { sku: 'B', quantity: 1 },
          ],
        },
      ],
      ['a line less', { items: [{ sku: 'A', quantity: 2 }] }],
      [
        'a line more',
        {
          items: [
            { sku: 'A', quantity: 2 },
            { sku: 'B', quantity: 1 },
            { sku: 'C', quantity: 1 },
          ],
        },
      ],
      ['another customer', { userId: 'u2' }],
    ])('should refuse a repeated key with another cart (%s): 422 IDEMPOTENCY_KEY_REUSED', async (_name, change) => {
      await service.hold(
        cart([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ]),
      );
      const base = cart([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ]);
      const error = await service.hold({ ...base, ...change }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
      expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', kind: 'unprocessable' });
      expect(await levels('A', 'B', 'C')).toEqual([
        [8, 2],
        [4, 1],
        [3, 0],
      ]);
    });

    it('should treat a one-line cart and a reserve of the same SKU and quantity with one key as the same hold', async () => {
      const reserved = await service.reserve(command({ idempotencyKey: 'shared' }));
      expect(await service.hold(cart([{ sku: 'A', quantity: 2 }], { idempotencyKey: 'shared' }))).toEqual(reserved);
      await expect(service.hold(cart([{ sku: 'A', quantity: 1 }], { idempotencyKey: 'shared' }))).rejects.toThrow(
        IdempotencyKeyReusedError,
      );
    });

    it("should count each line against its SKU's per-customer cap, summed lines included", async () => {
      await inventory.updateIfRulesHold('A', { maxPerCustomer: 3 }, clock.now());
      await service.hold(
        cart([
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 4 },
        ]),
      );
      const error = await service
        .hold(
          cart(
            [
              { sku: 'B', quantity: 1 },
              { sku: 'A', quantity: 1 },
              { sku: 'A', quantity: 1 },
            ],
            { idempotencyKey: 'c2' },
          ),
        )
        .catch((e: unknown) => e);
      expect(error).toEqual(new PerCustomerLimitError('A', 'u1', 3, 2, 2));
      expect(await levels('A', 'B')).toEqual([
        [8, 2],
        [1, 4],
      ]);
    });

    it('should free the stock of due holds with a line of a short SKU, then hold the cart', async () => {
      await service.hold(
        cart([
          { sku: 'A', quantity: 9 },
          { sku: 'B', quantity: 1 },
        ]),
      );
      const expireDue = jest.spyOn(repository, 'expireDue');
      clock.advanceSeconds(300);
      const hold = await service.hold(
        cart(
          [
            { sku: 'A', quantity: 5 },
            { sku: 'C', quantity: 1 },
          ],
          { idempotencyKey: 'c2' },
        ),
      );
      expect(hold.status).toBe('RESERVED');
      expect(expireDue).toHaveBeenCalledWith(settings.finishAt(clock.now()), 2, ['A']);
      expect(await levels('A', 'B', 'C')).toEqual([
        [5, 5],
        [5, 0],
        [2, 1],
      ]);
    });
  });

  describe('reserve: quantity bound', () => {
    it('should refuse quantities outside 1 to the configured maximum without touching stock', async () => {
      const limits = { maxQuantity: 3, maxPerCustomer: null, maxTtlSeconds: 3600 };
      const small = new ReservationService(repository, clock, new ReservationSettings(300, 3600, limits), new MaintenanceSettings(2));
      await expect(small.reserve(command({ quantity: 4 }))).rejects.toThrow(new ReserveQuantityError(4, 3));
      await expect(small.reserve(command({ quantity: 0 }))).rejects.toThrow(ReserveQuantityError);
      await expect(small.reserve(command({ quantity: 1.5 }))).rejects.toThrow(ReserveQuantityError);
      expect(await small.reserve(command({ quantity: 3 }))).toMatchObject({ items: [{ sku: 'A', quantity: 3 }] });
      expect(await inventory.findBySku('A')).toMatchObject({ availableQuantity: 7, reservedQuantity: 3 });
    });

    it('should default the maximum to 10000', async () => {
      await inventory.insert({ sku: 'BIG', productName: 'Screws', totalQuantity: 20_000, availableQuantity: 20_000 }, clock.now());
      await expect(service.reserve(command({ sku: 'BIG', quantity: 10_001 }))).rejects.toThrow(ReserveQuantityError);
      expect(await service.reserve(command({ sku: 'BIG', quantity: 10_000 }))).toMatchObject({ items: [{ sku: 'BIG', quantity: 10_000 }] });
    });
  });

  describe('reserve: per-customer cap', () => {
    const withDefaultCap = (maxPerCustomer: number | null) => {
      const limits = { maxQuantity: 10_000, maxPerCustomer, maxTtlSeconds: 3600 };
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
      expect(await service.reserve(command({ quantity: 1, idempotencyKey: key() }))).toMatchObject({ items: [{ sku: 'A', quantity: 1 }] });
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
      expect(await capped.reserve(command({ quantity: 3, idempotencyKey: key() }))).toMatchObject({ items: [{ sku: 'A', quantity: 3 }] });
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
