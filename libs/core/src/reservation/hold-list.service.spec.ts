import { InvalidCursorError } from '../errors/domain-error';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryReservationRepository } from '../testing/in-memory-reservation.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { SettableClock } from '../testing/settable-clock';
import { decodeHoldListCursor, encodeHoldListCursor } from './hold-list-cursor';
import { HoldListService } from './hold-list.service';

const T0 = new Date('2026-01-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe(HoldListService.name, () => {
  let reservations: InMemoryReservationRepository;
  let clock: SettableClock;
  let service: HoldListService;

  const hold = async (n: number, created: number, expires: number, userId = 'u') => {
    const result = await reservations.tryReserve({
      id: id(n),
      userId,
      items: [{ sku: 'A', quantity: 1 }],
      clientId: 'c',
      idempotencyKey: `k-${n}`,
      createdAt: at(created),
      expiresAt: at(expires),
    });
    if (result.status !== 'reserved') throw new Error(result.status);
  };

  beforeEach(async () => {
    const store = new InMemoryStore();
    await new InMemoryInventoryRepository(store).insert(
      { sku: 'A', productName: 'Laptop', totalQuantity: 100, availableQuantity: 100 },
      T0,
    );
    reservations = new InMemoryReservationRepository(store);
    clock = new SettableClock(at(10));
    service = new HoldListService(reservations, clock);
    await hold(1, 1, 100);
    await hold(2, 2, 15, 'v');
    await hold(3, 2, 300);
    await hold(4, 3, 12);
  });

  describe('list', () => {
    it('should page newest first (ties by id, descending) and end with a null cursor', async () => {
      const first = await service.list({}, 2, null);
      expect(first.items.map((h) => h.id)).toEqual([id(4), id(3)]);
      expect(first.now).toEqual(at(10));
      const second = await service.list({}, 2, first.nextCursor);
      expect(second.items.map((h) => h.id)).toEqual([id(2), id(1)]);
      expect(second.nextCursor).toBeNull();
    });

    it('should give a null cursor when the page holds the last hold exactly', async () => {
      expect((await service.list({}, 4, null)).nextCursor).toBeNull();
      expect((await service.list({}, 3, null)).nextCursor).not.toBeNull();
    });

    it('should turn expiringWithinSeconds into a window from the clock', async () => {
      expect((await service.list({ expiringWithinSeconds: 5 }, 10, null)).items.map((h) => h.id)).toEqual([id(4), id(2)]);
      expect((await service.list({ expiringWithinSeconds: 4 }, 10, null)).items.map((h) => h.id)).toEqual([id(4)]);
      clock.set(at(13));
      expect((await service.list({ expiringWithinSeconds: 4 }, 10, null)).items.map((h) => h.id)).toEqual([id(2)]);
    });

    it('should pass status, sku and userId to the port', async () => {
      expect((await service.list({ userId: 'v' }, 10, null)).items.map((h) => h.id)).toEqual([id(2)]);
      expect((await service.list({ sku: 'B' }, 10, null)).items).toEqual([]);
      clock.set(at(14));
      expect((await service.list({ status: 'EXPIRED' }, 10, null)).items.map((h) => h.id)).toEqual([id(4)]);
      expect((await service.list({ status: 'RESERVED', sku: 'A' }, 10, null)).items.map((h) => h.id)).toEqual([id(3), id(2), id(1)]);
    });

    it('should refuse a cursor it did not issue with INVALID_CURSOR', async () => {
      await expect(service.list({}, 2, 'bm9wZQ')).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
});

describe(decodeHoldListCursor.name, () => {
  it('should read back what encodeHoldListCursor wrote', () => {
    const position = { createdAt: new Date('2026-01-06T10:00:00.123Z'), id: id(7) };
    expect(decodeHoldListCursor(encodeHoldListCursor(position))).toEqual(position);
  });

  it.each([
    ['another list', Buffer.from('m:12').toString('base64url')],
    ['an upper-case id', Buffer.from('h:1:3F2B8C1E-9A4D-4E7F-8B6A-1C2D3E4F5A6B').toString('base64url')],
    ['no id', Buffer.from('h:1:').toString('base64url')],
    ['a time too large', Buffer.from(`h:1234567890123456:${id(7)}`).toString('base64url')],
    ['base64 padding', `${encodeHoldListCursor({ createdAt: T0, id: id(7) })}=`],
  ])('should refuse %s', (_case, cursor) => {
    expect(() => decodeHoldListCursor(cursor)).toThrow(InvalidCursorError);
  });
});
