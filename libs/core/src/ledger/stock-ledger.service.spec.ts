import { InvalidCursorError } from '../errors/domain-error';
import { InventoryNotFoundError } from '../inventory/inventory.errors';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { InMemoryStockLedgerRepository } from '../testing/in-memory-stock-ledger.repository';
import { InMemoryStore } from '../testing/in-memory-store';
import { StockLedgerService } from './stock-ledger.service';

describe(StockLedgerService.name, () => {
  const T0 = new Date('2026-01-06T10:00:00.000Z');
  let store: InMemoryStore;
  let inventory: InMemoryInventoryRepository;
  let service: StockLedgerService;

  beforeEach(async () => {
    store = new InMemoryStore();
    inventory = new InMemoryInventoryRepository(store);
    service = new StockLedgerService(new InMemoryStockLedgerRepository(store), inventory);
    await inventory.insert({ sku: 'A', productName: 'Laptop', totalQuantity: 10, availableQuantity: 10 }, T0);
    for (let total = 11; total <= 14; total++) await inventory.updateIfRulesHold('A', { totalQuantity: total }, T0);
    await inventory.insert({ sku: 'B', productName: 'Mouse', totalQuantity: 1, availableQuantity: 1 }, T0);
  });

  it('should page the movements newest first and end with a null cursor', async () => {
    const first = await service.movements('A', 2, null);
    expect(first.items.map((m) => m.totalDelta)).toEqual([1, 1]);
    expect(first.items.map((m) => m.type)).toEqual(['adjusted', 'adjusted']);
    const second = await service.movements('A', 2, first.nextCursor);
    const third = await service.movements('A', 2, second.nextCursor);
    expect(third.items.map((m) => m.type)).toEqual(['created']);
    expect(third.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(5);
  });

  it('should give a null cursor when the page holds the last movement exactly', async () => {
    expect((await service.movements('A', 5, null)).nextCursor).toBeNull();
    expect((await service.movements('A', 4, null)).nextCursor).not.toBeNull();
  });

  it('should keep only the SKU asked for', async () => {
    const page = await service.movements('B', 10, null);
    expect(page.items).toEqual([expect.objectContaining({ sku: 'B', type: 'created', availableDelta: 1, totalDelta: 1 })]);
  });

  it('should keep the history of a deleted SKU readable', async () => {
    await inventory.deleteIfNoActiveReservations('B', T0);
    expect((await service.movements('B', 10, null)).items.map((m) => m.type)).toEqual(['deleted', 'created']);
  });

  it('should throw InventoryNotFoundError for a SKU that never had a movement', async () => {
    await expect(service.movements('NOPE', 10, null)).rejects.toBeInstanceOf(InventoryNotFoundError);
    await expect(service.movements('NOPE', 10, null)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it.each(['garbage', Buffer.from('m:abc').toString('base64url'), Buffer.from('memory:3').toString('base64url'), ''])(
    'should refuse a cursor it did not issue (%s) with InvalidCursorError',
    async (cursor) => {
      await expect(service.movements('A', 2, cursor)).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(service.movements('A', 2, cursor)).rejects.toMatchObject({ kind: 'invalid', code: 'INVALID_CURSOR' });
    },
  );
});
