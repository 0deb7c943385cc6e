import { ConcurrentModificationError } from '../errors/domain-error';
import { RecordDeclinedSignal } from '../idempotency/idempotency.errors';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { ReservationExpiredError, ReservationNotFoundError, ReservationStateConflictError } from '../reservation/reservation.errors';
import { ReservationRepository } from '../reservation/reservation.repository';
import { ReservationService } from '../reservation/reservation.service';
import { ReservationSettings } from '../reservation/reservation-settings';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryReservationRepository } from '../testing/in-memory-reservation.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { SettableClock } from '../testing/settable-clock';
import { CheckoutService } from './checkout.service';

describe(CheckoutService.name, () => {
  const settings = new ReservationSettings(300, 3600);
  let clock: SettableClock;
  let inventory: InMemoryInventoryRepository;
  let repository: InMemoryReservationRepository;
  let checkout: CheckoutService;
  let holdId: string;

  beforeEach(async () => {
    clock = new SettableClock();
    const store = new InMemoryStore();
    inventory = new InMemoryInventoryRepository(store);
    repository = new InMemoryReservationRepository(store);
    checkout = new CheckoutService(repository, clock, settings);
    await inventory.insert({ sku: 'A', productName: 'Laptop', totalQuantity: 10, availableQuantity: 10 }, clock.now());
    const reservations = new ReservationService(repository, clock, settings, new MaintenanceSettings(100));
    holdId = (await reservations.reserve({ sku: 'A', userId: 'u', quantity: 3, idempotencyKey: 'k' })).id;
  });

  const levels = async () => {
    const item = await inventory.findBySku('A');
    return [item!.availableQuantity, item!.reservedQuantity, item!.soldQuantity];
  };

  describe('confirm', () => {
    it('should sell the held units once, however often it is called', async () => {
      expect((await checkout.confirm(holdId)).status).toBe('CONFIRMED');
      expect((await checkout.confirm(holdId)).status).toBe('CONFIRMED');
      expect(await levels()).toEqual([7, 0, 3]);
    });

    it('should expire a due hold, return its stock, and throw ReservationExpiredError', async () => {
      clock.advanceSeconds(300);
      await expect(checkout.confirm(holdId)).rejects.toThrow(ReservationExpiredError);
      expect((await repository.findById(holdId))?.status).toBe('EXPIRED');
      await expect(checkout.confirm(holdId)).rejects.toThrow(ReservationExpiredError);
      expect(await levels()).toEqual([10, 0, 0]);
    });

    it('should refuse a cancelled hold', async () => {
      await checkout.cancel(holdId);
      await expect(checkout.confirm(holdId)).rejects.toThrow(ReservationStateConflictError);
    });

    it('should throw ReservationNotFoundError for an unknown id', async () => {
      await expect(checkout.confirm('00000000-0000-4000-8000-000000000000')).rejects.toThrow(ReservationNotFoundError);
    });
  });

  describe('cancel', () => {
    it('should return the stock once, however often it is called', async () => {
      expect((await checkout.cancel(holdId)).status).toBe('CANCELLED');
      expect((await checkout.cancel(holdId)).status).toBe('CANCELLED');
      expect(await levels()).toEqual([10, 0, 0]);
    });

    it('should end a due hold as EXPIRED, returning its stock once', async () => {
      clock.advanceSeconds(301);
      expect((await checkout.cancel(holdId)).status).toBe('EXPIRED');
      expect((await checkout.cancel(holdId)).status).toBe('EXPIRED');
      expect(await levels()).toEqual([10, 0, 0]);
    });

    it('should refuse a confirmed hold', async () => {
      await checkout.confirm(holdId);
      await expect(checkout.cancel(holdId)).rejects.toThrow(ReservationStateConflictError);
      expect(await levels()).toEqual([7, 0, 3]);
    });

    it("should take the sweeper's result when it expired the hold first", async () => {
      clock.advanceSeconds(301);
      await repository.expireDue(settings.finishAt(clock.now()), 10);
      expect((await checkout.cancel(holdId)).status).toBe('EXPIRED');
      expect(await levels()).toEqual([10, 0, 0]);
    });
  });

  describe('a cart', () => {
    let cartId: string;
    const all = async () =>
      Promise.all(
        ['A', 'B'].map(async (sku) => inventory.findBySku(sku).then((i) => [i!.availableQuantity, i!.reservedQuantity, i!.soldQuantity])),
      );

    beforeEach(async () => {
      await inventory.insert({ sku: 'B', productName: 'Mouse', totalQuantity: 4, availableQuantity: 4 }, clock.now());
      const reservations = new ReservationService(repository, clock, settings, new MaintenanceSettings(100));
      const items = [
        { sku: 'B', quantity: 4 },
        { sku: 'A', quantity: 2 },
      ];
      cartId = (await reservations.hold({ userId: 'u', items, idempotencyKey: 'cart' })).id;
    });

    it('should sell every line in one step', async () => {
      expect(await checkout.confirm(cartId)).toMatchObject({
        status: 'CONFIRMED',
        items: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 4 },
        ],
      });
      expect(await all()).toEqual([
        [5, 3, 2],
        [0, 0, 4],
      ]);
    });

    it('should return every line on cancel, and on expiry exactly once', async () => {
      expect((await checkout.cancel(cartId)).status).toBe('CANCELLED');
      expect(await all()).toEqual([
        [7, 3, 0],
        [4, 0, 0],
      ]);
      clock.advanceSeconds(301);
      expect(await repository.expireDue(settings.finishAt(clock.now()), 10)).toBe(1);
      expect(await all()).toEqual([
        [10, 0, 0],
        [4, 0, 0],
      ]);
    });
  });

  describe("with the request's idempotency record", () => {
    const record = (key: string) => ({
      scope: 'confirm:anonymous',
      key,
      fingerprint: 'f'.repeat(64),
      token: 't',
      now: clock.now(),
      retainUntil: clock.now(),
      statusCode: 200,
    });

    it('should write the record with the transition', async () => {
      const confirmIfActive = jest.spyOn(repository, 'confirmIfActive');
      expect((await checkout.confirm(holdId, undefined, record('k1'))).status).toBe('CONFIRMED');
      expect(confirmIfActive).toHaveBeenCalledWith(holdId, expect.anything(), undefined, record('k1'));
      expect(await levels()).toEqual([7, 0, 3]);
    });

    it('should hand the request to the claim when the transition does not apply, recording nothing', async () => {
      await checkout.confirm(holdId);
      await expect(checkout.confirm(holdId, undefined, record('k2'))).rejects.toBeInstanceOf(RecordDeclinedSignal);
      await expect(checkout.cancel(holdId, undefined, record('k3'))).rejects.toBeInstanceOf(RecordDeclinedSignal);
      expect(await levels()).toEqual([7, 0, 3]);
    });

    it('should move nothing when the key is recorded already', async () => {
      const other = (
        await new ReservationService(repository, clock, settings, new MaintenanceSettings(100)).reserve({
          sku: 'A',
          userId: 'u',
          quantity: 1,
          idempotencyKey: 'k-other',
        })
      ).id;
      await checkout.cancel(holdId, undefined, record('same'));
      await expect(checkout.cancel(other, undefined, record('same'))).rejects.toBeInstanceOf(RecordDeclinedSignal);
      expect((await repository.findById(other))!.status).toBe('RESERVED');
    });
  });

  describe('lost races', () => {
    it('should pass the time of the ending and the retention to the transition', async () => {
      const confirmIfActive = jest.spyOn(repository, 'confirmIfActive');
      await checkout.confirm(holdId);
      expect(confirmIfActive).toHaveBeenCalledWith(
        holdId,
        { now: clock.now(), retainUntil: new Date(clock.now().getTime() + 3_600_000) },
        undefined,
        undefined,
      );
    });

    it("should hand the caller's context to the transition", async () => {
      const confirmIfActive = jest.spyOn(repository, 'confirmIfActive');
      await checkout.confirm(holdId, { actor: 'key-1' });
      expect(confirmIfActive).toHaveBeenCalledWith(holdId, expect.anything(), { actor: 'key-1' }, undefined);
    });

    it('should try again when a due hold was ended by someone else between the read and its expiry', async () => {
      clock.advanceSeconds(301);
      const current = (await repository.findById(holdId))!;
      jest.spyOn(repository, 'findById').mockResolvedValueOnce(current);
      jest.spyOn(repository, 'expireIfDue').mockImplementationOnce(async (id, finish) => {
        await repository.cancelIfActive(id, { ...finish, now: new Date(current.expiresAt.getTime() - 1) });
        return null;
      });
      expect((await checkout.cancel(holdId)).status).toBe('CANCELLED');
      expect(await levels()).toEqual([10, 0, 0]);
    });

    it.each(['confirm', 'cancel'] as const)('should answer %s with ConcurrentModificationError once every attempt lost', async (ending) => {
      const active = (await repository.findById(holdId))!;
      const stub = {
        confirmIfActive: jest.fn().mockResolvedValue(null),
        cancelIfActive: jest.fn().mockResolvedValue(null),
        findById: jest.fn().mockResolvedValue(active),
        expireIfDue: jest.fn(),
      };
      const racing = new CheckoutService(stub as unknown as ReservationRepository, clock, settings);
      const failure = racing[ending](holdId);
      await expect(failure).rejects.toBeInstanceOf(ConcurrentModificationError);
      await expect(failure).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION', details: { reservationId: holdId } });
      expect(stub[ending === 'confirm' ? 'confirmIfActive' : 'cancelIfActive']).toHaveBeenCalledTimes(3);
      expect(stub.expireIfDue).not.toHaveBeenCalled();
    });
  });
});
