import { ConcurrentModificationError } from '../errors/domain-error';
import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import { SettableClock } from '../testing/settable-clock';
import {
  ActiveReservationsError,
  DuplicateSkuError,
  InvalidStockError,
  InventoryNotFoundError,
  StockBucketsUnsupportedError,
  StockRuleViolationError,
} from './inventory.errors';
import { InventoryRepository } from './inventory.repository';
import { InventoryService, InventorySettings } from './inventory.service';

describe(InventoryService.name, () => {
  let clock: SettableClock;
  let repository: InMemoryInventoryRepository;
  let service: InventoryService;

  beforeEach(() => {
    clock = new SettableClock(new Date('2026-01-06T10:00:00Z'));
    repository = new InMemoryInventoryRepository();
    service = new InventoryService(repository, clock);
  });

  describe('create', () => {
    it('should default availableQuantity to totalQuantity', async () => {
      const item = await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7 });
      expect(item).toMatchObject({ sku: 'A', totalQuantity: 7, availableQuantity: 7, reservedQuantity: 0, soldQuantity: 0 });
    });

    it("should stamp the clock's time as createdAt and updatedAt", async () => {
      const item = await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7 });
      expect(item).toMatchObject({ createdAt: clock.now(), updatedAt: clock.now() });
    });

    it('should keep an explicit availableQuantity below the total', async () => {
      expect(await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7, availableQuantity: 3 })).toMatchObject({
        availableQuantity: 3,
      });
    });

    it('should reject more available than total without writing', async () => {
      await expect(service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 2, availableQuantity: 3 })).rejects.toThrow(
        InvalidStockError,
      );
      expect(await repository.findBySku('A')).toBeNull();
    });

    it("should store the SKU's own cap, and none when absent", async () => {
      expect(await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7, maxPerCustomer: 2 })).toMatchObject({
        maxPerCustomer: 2,
      });
      expect(await service.create({ sku: 'B', productName: 'Laptop', totalQuantity: 7 })).toMatchObject({ maxPerCustomer: null });
    });

    it('should reject a cap below 1 without writing', async () => {
      await expect(service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7, maxPerCustomer: 0 })).rejects.toThrow(
        new InvalidStockError('A', 'maxPerCustomer must be a whole number from 1 to 1000000000 (got 0)'),
      );
      expect(await repository.findBySku('A')).toBeNull();
    });

    it('should leave the low-stock threshold unset by default, and keep an explicit one', async () => {
      expect(await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7 })).toMatchObject({ lowStockThreshold: null });
      expect(await service.create({ sku: 'B', productName: 'Laptop', totalQuantity: 7, lowStockThreshold: 2 })).toMatchObject({
        lowStockThreshold: 2,
      });
    });

    it('should fill in the configured default threshold when none is given, and keep an explicit null', async () => {
      const withDefault = new InventoryService(repository, clock, new InventorySettings(5));
      expect(await withDefault.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7 })).toMatchObject({ lowStockThreshold: 5 });
      expect(await withDefault.create({ sku: 'B', productName: 'Laptop', totalQuantity: 7, lowStockThreshold: 1 })).toMatchObject({
        lowStockThreshold: 1,
      });
      expect(await withDefault.create({ sku: 'C', productName: 'Laptop', totalQuantity: 7, lowStockThreshold: null })).toMatchObject({
        lowStockThreshold: null,
      });
      const { created } = await withDefault.createMany([{ index: 0, input: { sku: 'D', productName: 'Laptop', totalQuantity: 7 } }]);
      expect(created).toMatchObject([{ lowStockThreshold: 5 }]);
    });

    it("should hand the caller's context to the repository", async () => {
      const insert = jest.spyOn(repository, 'insert');
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7 }, { actor: 'key-1' });
      expect(insert).toHaveBeenCalledWith(expect.objectContaining({ sku: 'A' }), clock.now(), { actor: 'key-1' });
      const insertMany = jest.spyOn(repository, 'insertManySkippingExisting');
      await service.createMany([{ index: 0, input: { sku: 'B', productName: 'Laptop', totalQuantity: 7 } }], { actor: 'key-2' });
      expect(insertMany).toHaveBeenCalledWith([expect.objectContaining({ sku: 'B' })], clock.now(), { actor: 'key-2' });
    });

    it('should surface a duplicate SKU', async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 1 });
      await expect(service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 1 })).rejects.toThrow(DuplicateSkuError);
    });
  });

  describe('stockBuckets', () => {
    /** A backend that keeps every SKU in one row or document (as MongoDB does). */
    class OneRowRepository extends InMemoryInventoryRepository {
      override readonly maxStockBuckets = 1;
    }

    it('should store stockBuckets, 1 by default', async () => {
      expect(await service.create({ sku: 'A', productName: 'Hot', totalQuantity: 8, stockBuckets: 8 })).toMatchObject({ stockBuckets: 8 });
      expect(await service.create({ sku: 'B', productName: 'Plain', totalQuantity: 8 })).toMatchObject({ stockBuckets: 1 });
      expect(await service.update('A', { stockBuckets: 2 })).toMatchObject({ stockBuckets: 2, availableQuantity: 8 });
    });

    it.each([0, 65, 1.5])('should refuse stockBuckets %p as invalid stock without writing', async (stockBuckets) => {
      await expect(service.create({ sku: 'A', productName: 'Hot', totalQuantity: 8, stockBuckets })).rejects.toThrow(InvalidStockError);
      expect(await repository.findBySku('A')).toBeNull();
    });

    it('should refuse stockBuckets above what the backend stores, on create, in a batch and on update', async () => {
      const oneRow = new InventoryService(new OneRowRepository(), clock);
      await expect(oneRow.create({ sku: 'A', productName: 'Hot', totalQuantity: 8, stockBuckets: 2 })).rejects.toThrow(
        StockBucketsUnsupportedError,
      );
      const batch = await oneRow.createMany([
        { index: 0, input: { sku: 'A', productName: 'Hot', totalQuantity: 8, stockBuckets: 8 } },
        { index: 1, input: { sku: 'B', productName: 'Plain', totalQuantity: 8, stockBuckets: 1 } },
      ]);
      expect(batch.failures).toEqual([{ index: 0, sku: 'A', code: 'STOCK_BUCKETS_UNSUPPORTED', message: expect.any(String) }]);
      expect(batch.created.map((item) => item.sku)).toEqual(['B']);
      await expect(oneRow.update('B', { stockBuckets: 4 })).rejects.toThrow(StockBucketsUnsupportedError);
    });
  });

  describe('createMany', () => {
    it('should create the good items and report each bad one by index', async () => {
      await service.create({ sku: 'EXISTS', productName: 'Old', totalQuantity: 1 });
      const result = await service.createMany([
        { index: 0, input: { sku: 'NEW-1', productName: 'One', totalQuantity: 5 } },
        { index: 1, input: { sku: 'EXISTS', productName: 'Again', totalQuantity: 5 } },
        { index: 3, input: { sku: 'BAD', productName: 'Bad', totalQuantity: 1, availableQuantity: 2 } },
        { index: 4, input: { sku: 'NEW-1', productName: 'Twice', totalQuantity: 5 } },
        { index: 5, input: { sku: 'NEW-2', productName: 'Two', totalQuantity: 2 } },
      ]);
      expect(result.created.map((item) => item.sku)).toEqual(['NEW-1', 'NEW-2']);
      expect(result.failures.map(({ index, sku, code }) => ({ index, sku, code }))).toEqual([
        { index: 1, sku: 'EXISTS', code: 'DUPLICATE_SKU' },
        { index: 3, sku: 'BAD', code: 'INVALID_STOCK' },
        { index: 4, sku: 'NEW-1', code: 'DUPLICATE_SKU' },
      ]);
      expect(result.failures[2].message).toContain('more than once in this batch');
      expect((await repository.findBySku('NEW-1'))?.productName).toBe('One');
    });

    it('should not touch the repository when every item is invalid', async () => {
      const insertMany = jest.spyOn(repository, 'insertManySkippingExisting');
      const result = await service.createMany([
        { index: 0, input: { sku: 'X', productName: 'x', totalQuantity: 0, availableQuantity: 1 } },
      ]);
      expect(result.created).toEqual([]);
      expect(insertMany).not.toHaveBeenCalled();
    });
  });

  describe('getBySku', () => {
    it('should throw InventoryNotFoundError for an unknown SKU', async () => {
      await expect(service.getBySku('NOPE')).rejects.toThrow(InventoryNotFoundError);
    });
  });

  describe('availabilityOf', () => {
    beforeEach(async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7 });
      await service.create({ sku: 'B', productName: 'Mouse', totalQuantity: 2 });
    });

    it('should answer the items in the order asked, each once, and the missing SKUs in that order', async () => {
      const { items, missing } = await service.availabilityOf(['B', 'X', 'A', 'B', 'Y', 'X']);
      expect(items.map((item) => item.sku)).toEqual(['B', 'A']);
      expect(items[0]).toEqual(await repository.findBySku('B'));
      expect(missing).toEqual(['X', 'Y']);
    });

    it('should read the store once, with each SKU once', async () => {
      const findMany = jest.spyOn(repository, 'findMany');
      const findBySku = jest.spyOn(repository, 'findBySku');
      await service.availabilityOf(['A', 'A', 'B']);
      expect(findMany.mock.calls).toEqual([[['A', 'B']]]);
      expect(findBySku).not.toHaveBeenCalled();
    });
  });

  describe('update', () => {
    beforeEach(async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 10 });
      repository.setLevels('A', { availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 });
    });

    it('should apply a change that keeps the rules', async () => {
      expect(await service.update('A', { totalQuantity: 12, availableQuantity: 7, productName: 'New' })).toMatchObject({
        totalQuantity: 12,
        availableQuantity: 7,
        productName: 'New',
      });
    });

    it('should name the broken rule with the stored counters', async () => {
      await expect(service.update('A', { totalQuantity: 9 })).rejects.toThrow(
        new StockRuleViolationError(
          'A',
          'availableQuantity + reservedQuantity + soldQuantity must not exceed totalQuantity (5 + 3 + 2 > 9)',
        ),
      );
    });

    it('should throw InventoryNotFoundError for an unknown SKU', async () => {
      await expect(service.update('NOPE', { totalQuantity: 1 })).rejects.toThrow(InventoryNotFoundError);
    });

    it('should set a cap, keep it when absent from the change, and clear it with null', async () => {
      expect(await service.update('A', { maxPerCustomer: 3 })).toMatchObject({ maxPerCustomer: 3 });
      expect(await service.update('A', { productName: 'New' })).toMatchObject({ maxPerCustomer: 3 });
      expect(await service.update('A', { maxPerCustomer: null })).toMatchObject({ maxPerCustomer: null });
    });

    it('should reject a fractional cap without writing', async () => {
      await expect(service.update('A', { maxPerCustomer: 1.5, productName: 'New' })).rejects.toThrow(InvalidStockError);
      expect(await repository.findBySku('A')).toMatchObject({ productName: 'Laptop', maxPerCustomer: null });
    });

    it("should hand the caller's context (actor and reason) to the repository", async () => {
      const update = jest.spyOn(repository, 'updateIfRulesHold');
      await service.update('A', { totalQuantity: 11 }, { actor: 'key-1', reason: 'recount' });
      expect(update).toHaveBeenCalledWith('A', { totalQuantity: 11 }, clock.now(), { actor: 'key-1', reason: 'recount' });
    });

    it('should set and clear the low-stock threshold', async () => {
      expect(await service.update('A', { lowStockThreshold: 4 })).toMatchObject({ lowStockThreshold: 4 });
      expect(await service.update('A', { lowStockThreshold: null })).toMatchObject({ lowStockThreshold: null });
    });

    it("should stamp the clock's time as updatedAt", async () => {
      clock.advanceSeconds(60);
      expect(await service.update('A', { productName: 'New' })).toMatchObject({ updatedAt: clock.now() });
    });

    it('should try again after a lost race', async () => {
      const updateIfRulesHold = jest.spyOn(repository, 'updateIfRulesHold').mockResolvedValueOnce({ status: 'contended' });
      expect(await service.update('A', { totalQuantity: 11 })).toMatchObject({ totalQuantity: 11 });
      expect(updateIfRulesHold).toHaveBeenCalledTimes(2);
    });

    it('should give up with ConcurrentModificationError after a bounded number of lost races', async () => {
      const stub: Pick<InventoryRepository, 'updateIfRulesHold'> = {
        updateIfRulesHold: jest.fn().mockResolvedValue({ status: 'contended' }),
      };
      const racing = new InventoryService(stub as InventoryRepository, clock);
      const failure = racing.update('A', { totalQuantity: 11 });
      await expect(failure).rejects.toBeInstanceOf(ConcurrentModificationError);
      await expect(failure).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION', details: { sku: 'A' } });
      expect(stub.updateIfRulesHold).toHaveBeenCalledTimes(3);
    });
  });

  describe('remove', () => {
    it('should delete an item with nothing reserved', async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 1 });
      await service.remove('A');
      expect(await repository.findBySku('A')).toBeNull();
    });

    it('should refuse while units are reserved, saying how many', async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 5 });
      repository.setLevels('A', { availableQuantity: 3, reservedQuantity: 2 });
      await expect(service.remove('A')).rejects.toThrow(new ActiveReservationsError('A', 2));
    });

    it('should throw InventoryNotFoundError for an unknown SKU', async () => {
      await expect(service.remove('NOPE')).rejects.toThrow(InventoryNotFoundError);
    });

    it("should hand the clock's time and the caller's context to the repository", async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 1 });
      const remove = jest.spyOn(repository, 'deleteIfNoActiveReservations');
      await service.remove('A', { actor: 'key-1' });
      expect(remove).toHaveBeenCalledWith('A', clock.now(), { actor: 'key-1' });
    });

    it('should try again after a lost race', async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 1 });
      const remove = jest.spyOn(repository, 'deleteIfNoActiveReservations').mockResolvedValueOnce({ status: 'contended' });
      await service.remove('A');
      expect(remove).toHaveBeenCalledTimes(2);
      expect(await repository.findBySku('A')).toBeNull();
    });

    it('should give up with ConcurrentModificationError, not ActiveReservationsError, when every delete lost a race', async () => {
      const stub = { deleteIfNoActiveReservations: jest.fn().mockResolvedValue({ status: 'contended' }) };
      const racing = new InventoryService(stub as unknown as InventoryRepository, clock);
      await expect(racing.remove('A')).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION', details: { sku: 'A' } });
      expect(stub.deleteIfNoActiveReservations).toHaveBeenCalledTimes(3);
    });
  });
});
