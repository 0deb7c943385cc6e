import { ConcurrentModificationError } from '../errors/domain-error';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryReservationRepository } from '../testing/in-memory-reservation.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { SettableClock } from '../testing/settable-clock';
import { HoldAdjustmentService } from './hold-adjustment.service';
import { HoldLine } from './hold-lines';
import {
  HoldLifetimeExceededError,
  HoldLinesError,
  HoldSecondsError,
  ReleaseExceedsHoldError,
  ReservationExpiredError,
  ReservationNotFoundError,
  ReservationStateConflictError,
  ReserveQuantityError,
} from './reservation.errors';
import { ReservationSettings } from './reservation-settings';
import { ReservationService } from './reservation.service';

describe(HoldAdjustmentService.name, () => {
  // Holds last 300 s by default and may live 900 s from their creation.
  const settings = new ReservationSettings(300, 3600, { maxQuantity: 10_000, maxPerCustomer: null, maxTtlSeconds: 900 });
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';
  let clock: SettableClock;
  let inventory: InMemoryInventoryRepository;
  let repository: InMemoryReservationRepository;
  let adjustments: HoldAdjustmentService;
  let reservations: ReservationService;
  let holdId: string;
  let createdAt: Date;

  beforeEach(async () => {
    clock = new SettableClock();
    const store = new InMemoryStore();
    inventory = new InMemoryInventoryRepository(store);
    repository = new InMemoryReservationRepository(store);
    adjustments = new HoldAdjustmentService(repository, clock, settings);
    reservations = new ReservationService(repository, clock, settings, new MaintenanceSettings(100));
    await inventory.insert({ sku: 'A', productName: 'Laptop', totalQuantity: 10, availableQuantity: 10 }, clock.now());
    await inventory.insert({ sku: 'B', productName: 'Mouse', totalQuantity: 5, availableQuantity: 5 }, clock.now());
    const hold = await reservations.hold({
      userId: 'u',
      items: [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 2 },
      ],
      idempotencyKey: 'k',
    });
    holdId = hold.id;
    createdAt = hold.createdAt;
  });

  const at = (seconds: number) => new Date(createdAt.getTime() + seconds * 1000);
  const levels = async () =>
    Promise.all(['A', 'B'].map(async (sku) => inventory.findBySku(sku).then((item) => [item!.availableQuantity, item!.reservedQuantity])));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: unknown) => error,
    );
  /** Input errors may be thrown before any promise exists; callers await either way. */
  const settled = <T>(call: () => Promise<T>): Promise<T> => (async () => call())();

  describe('extend', () => {
    it('should move the expiry later by the seconds, counted from the current expiry', async () => {
      clock.advanceSeconds(100);
      const extended = await adjustments.extend(holdId, 120);
      expect(extended).toMatchObject({ id: holdId, status: 'RESERVED', expiresAt: at(420) });
      expect((await adjustments.extend(holdId, 60)).expiresAt).toEqual(at(480));
      expect((await repository.findById(holdId))?.expiresAt).toEqual(at(480));
      expect(await levels()).toEqual([
        [7, 3],
        [3, 2],
      ]);
    });

    it('should allow a life of exactly the largest TTL, and refuse more with 409 naming the limit', async () => {
      expect((await adjustments.extend(holdId, 600)).expiresAt).toEqual(at(900));
      const error = await failure(adjustments.extend(holdId, 1));
      expect(error).toEqual(new HoldLifetimeExceededError(holdId, 900, createdAt, at(901)));
      expect(error).toMatchObject({
        code: 'HOLD_LIFETIME_EXCEEDED',
        kind: 'conflict',
        details: {
          reservationId: holdId,
          maxLifetimeSeconds: 900,
          createdAt: createdAt.toISOString(),
          latestExpiry: at(900).toISOString(),
          requestedExpiry: at(901).toISOString(),
        },
      });
      expect((error as Error).message).toContain('at most 900 seconds');
      expect((await repository.findById(holdId))?.expiresAt).toEqual(at(900));
    });

    it('should refuse seconds outside 1 to the largest TTL before looking at the hold', async () => {
      for (const seconds of [0, -5, 1.5, 901]) {
        await expect(settled(() => adjustments.extend(UNKNOWN, seconds))).rejects.toThrow(new HoldSecondsError('seconds', seconds, 900));
      }
    });

    it.each([
      ['CONFIRMED', (id: string) => repository.confirmIfActive(id, settings.finishAt(clock.now()))],
      ['CANCELLED', (id: string) => repository.cancelIfActive(id, settings.finishAt(clock.now()))],
    ])('should refuse a %s hold with 409 naming its status', async (status, finish) => {
      await finish(holdId);
      const error = await failure(adjustments.extend(holdId, 60));
      expect(error).toEqual(new ReservationStateConflictError(holdId, status, 'extend'));
      expect(error).toMatchObject({ code: 'RESERVATION_STATE_CONFLICT', details: { reservationId: holdId, status } });
      expect((error as Error).message).toBe(`Reservation '${holdId}' is ${status} and cannot be extended`);
    });

    it('should answer 410 for an EXPIRED hold', async () => {
      clock.advanceSeconds(300);
      await reservations.expireDue();
      await expect(adjustments.extend(holdId, 60)).rejects.toThrow(new ReservationExpiredError(holdId, at(300)));
    });

    it('should expire a hold whose time has passed (returning its stock) and answer 410', async () => {
      clock.advanceSeconds(300);
      await expect(adjustments.extend(holdId, 60)).rejects.toThrow(ReservationExpiredError);
      expect(await repository.findById(holdId)).toMatchObject({ status: 'EXPIRED', expiresAt: at(300), finishedAt: clock.now() });
      expect(await levels()).toEqual([
        [10, 0],
        [5, 0],
      ]);
    });

    it('should answer 404 for an unknown hold', async () => {
      await expect(adjustments.extend(UNKNOWN, 60)).rejects.toThrow(new ReservationNotFoundError(UNKNOWN));
    });

    it('should try again when the guarded change lost a race, and give up after three attempts', async () => {
      const extendIfActive = jest.spyOn(repository, 'extendIfActive').mockResolvedValue(null);
      await expect(adjustments.extend(holdId, 60)).rejects.toThrow(ConcurrentModificationError);
      expect(extendIfActive).toHaveBeenCalledTimes(3);
      extendIfActive.mockRestore();
      jest.spyOn(repository, 'extendIfActive').mockResolvedValueOnce(null);
      expect((await adjustments.extend(holdId, 60)).expiresAt).toEqual(at(360));
    });
  });

  describe('release', () => {
    const release = (items: HoldLine[]) => settled(() => adjustments.release(holdId, items));

    it('should return the units to available and shrink the line', async () => {
      const after = await release([{ sku: 'A', quantity: 1 }]);
      expect(after).toMatchObject({
        status: 'RESERVED',
        items: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ],
      });
      expect(await levels()).toEqual([
        [8, 2],
        [3, 2],
      ]);
      expect((await repository.findById(holdId))?.items).toEqual(after.items);
    });

    it('should remove a line released to zero, summing released lines of one SKU', async () => {
      const after = await release([
        { sku: 'B', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ]);
      expect(after).toMatchObject({ status: 'RESERVED', items: [{ sku: 'A', quantity: 3 }] });
      expect(await levels()).toEqual([
        [7, 3],
        [5, 0],
      ]);
    });

    it('should cancel the hold when every unit left is released, keeping its lines and returning all stock', async () => {
      await release([{ sku: 'A', quantity: 1 }]);
      const after = await release([
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 2 },
      ]);
      expect(after).toMatchObject({
        status: 'CANCELLED',
        finishedAt: clock.now(),
        items: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ],
      });
      expect(await levels()).toEqual([
        [10, 0],
        [5, 0],
      ]);
      expect(await reservations.reconcile('A')).toMatchObject({ heldByActiveReservations: 0, soldByConfirmedReservations: 0 });
    });

    it('should refuse to release more than a line holds with 409 naming the line, and move nothing', async () => {
      const error = await failure(
        release([
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 3 },
        ]),
      );
      expect(error).toEqual(new ReleaseExceedsHoldError(holdId, 'B', 2, 3));
      expect(error).toMatchObject({ code: 'RELEASE_EXCEEDS_HOLD', kind: 'conflict', details: { sku: 'B', held: 2, requested: 3 } });
      await expect(release([{ sku: 'C', quantity: 1 }])).rejects.toThrow(new ReleaseExceedsHoldError(holdId, 'C', 0, 1));
      expect(await levels()).toEqual([
        [7, 3],
        [3, 2],
      ]);
    });

    it('should refuse no lines, more than 100 SKUs and quantities outside 1 to the largest line', async () => {
      await expect(release([])).rejects.toThrow(new HoldLinesError(0, 100));
      const many = Array.from({ length: 101 }, (_, n) => ({ sku: `S${n}`, quantity: 1 }));
      await expect(release(many)).rejects.toThrow(new HoldLinesError(101, 100));
      await expect(release([{ sku: 'A', quantity: 0 }])).rejects.toThrow(new ReserveQuantityError(0, 10_000));
      await expect(release([{ sku: 'A', quantity: 10_001 }])).rejects.toThrow(ReserveQuantityError);
    });

    it.each([
      ['CONFIRMED', (id: string) => repository.confirmIfActive(id, settings.finishAt(clock.now()))],
      ['CANCELLED', (id: string) => repository.cancelIfActive(id, settings.finishAt(clock.now()))],
    ])('should refuse a %s hold with 409 naming its status', async (status, finish) => {
      await finish(holdId);
      const error = await failure(release([{ sku: 'A', quantity: 1 }]));
      expect(error).toEqual(new ReservationStateConflictError(holdId, status, 'release'));
      expect(error).toMatchObject({ details: { status } });
    });

    it('should expire a hold whose time has passed and answer 410, then 410 again', async () => {
      clock.advanceSeconds(301);
      await expect(release([{ sku: 'A', quantity: 1 }])).rejects.toThrow(ReservationExpiredError);
      expect((await repository.findById(holdId))?.status).toBe('EXPIRED');
      await expect(release([{ sku: 'A', quantity: 1 }])).rejects.toThrow(new ReservationExpiredError(holdId, at(300)));
      expect(await levels()).toEqual([
        [10, 0],
        [5, 0],
      ]);
    });

    it('should answer 404 for an unknown hold', async () => {
      await expect(adjustments.release(UNKNOWN, [{ sku: 'A', quantity: 1 }])).rejects.toThrow(ReservationNotFoundError);
    });

    it('should keep an extended hold releasable until its new expiry', async () => {
      await adjustments.extend(holdId, 100);
      clock.advanceSeconds(350);
      expect((await release([{ sku: 'A', quantity: 3 }])).items).toEqual([{ sku: 'B', quantity: 2 }]);
    });
  });
});
