import { InMemoryInventoryRepository } from '../testing/in-memory-inventory.repository';
import {
  ActiveReservationsError,
  DuplicateSkuError,
  InvalidStockError,
  InventoryNotFoundError,
  StockRuleViolationError,
} from './inventory.errors';
import { InventoryRepository } from './inventory.repository';
import { InventoryService } from './inventory.service';

describe(InventoryService.name, () => {
  let repository: InMemoryInventoryRepository;
  let service: InventoryService;

  beforeEach(() => {
    repository = new InMemoryInventoryRepository(() => new Date('2026-01-06T10:00:00Z'));
    service = new InventoryService(repository);
  });

  describe('create', () => {
    it('should default availableQuantity to totalQuantity', async () => {
      const item = await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 7 });
      expect(item).toMatchObject({ sku: 'A', totalQuantity: 7, availableQuantity: 7, reservedQuantity: 0, soldQuantity: 0 });
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

    it('should surface a duplicate SKU', async () => {
      await service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 1 });
      await expect(service.create({ sku: 'A', productName: 'Laptop', totalQuantity: 1 })).rejects.toThrow(DuplicateSkuError);
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
      const result = await service.createMany([{ index: 0, input: { sku: 'X', productName: 'x', totalQuantity: 0, availableQuantity: 1 } }]);
      expect(result.created).toEqual([]);
      expect(insertMany).not.toHaveBeenCalled();
    });
  });

  describe('getBySku', () => {
    it('should throw InventoryNotFoundError for an unknown SKU', async () => {
      await expect(service.getBySku('NOPE')).rejects.toThrow(InventoryNotFoundError);
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
        new StockRuleViolationError('A', 'availableQuantity + reservedQuantity + soldQuantity must not exceed totalQuantity (5 + 3 + 2 > 9)'),
      );
    });

    it('should throw InventoryNotFoundError for an unknown SKU', async () => {
      await expect(service.update('NOPE', { totalQuantity: 1 })).rejects.toThrow(InventoryNotFoundError);
    });

    it('should retry when the guard refused but the rule holds against the re-read row (a lost race)', async () => {
      const current = (await repository.findBySku('A'))!;
      const updateIfRulesHold = jest
        .spyOn(repository, 'updateIfRulesHold')
        .mockResolvedValueOnce({ status: 'rule_broken', current });
      expect(await service.update('A', { totalQuantity: 11 })).toMatchObject({ totalQuantity: 11 });
      expect(updateIfRulesHold).toHaveBeenCalledTimes(2);
    });

    it('should give up after a bounded number of lost races', async () => {
      const current = (await repository.findBySku('A'))!;
      const stub: Pick<InventoryRepository, 'updateIfRulesHold'> = {
        updateIfRulesHold: jest.fn().mockResolvedValue({ status: 'rule_broken', current }),
      };
      const racing = new InventoryService(stub as InventoryRepository);
      await expect(racing.update('A', { totalQuantity: 11 })).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });
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
  });
});
