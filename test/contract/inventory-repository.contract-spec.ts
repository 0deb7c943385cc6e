import { DuplicateSkuError, InventoryRepository, NewInventoryItem } from '@app/core';
import { randomUUID } from 'node:crypto';
import { uniqueSku } from '../support/unique';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';

const T0 = new Date('2026-01-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const newItem = (overrides: Partial<NewInventoryItem> = {}): NewInventoryItem => ({
  sku: uniqueSku(),
  productName: 'Gaming Laptop',
  totalQuantity: 10,
  availableQuantity: 10,
  ...overrides,
});

describeEachSubject('InventoryRepository contract', (subjectName) => {
  let subject: RepositorySubject;
  let repo: InventoryRepository;

  beforeAll(async () => {
    subject = await openSubject(subjectName);
    repo = subject.inventory;
  });
  afterAll(() => subject.close());

  describe('insert', () => {
    it('should store a new item with nothing reserved or sold, no cap, one stock bucket, created and updated at `now`', async () => {
      const item = newItem({ totalQuantity: 12, availableQuantity: 7 });
      const stored = await repo.insert(item, at(7));
      expect(stored).toEqual({
        ...item,
        reservedQuantity: 0,
        soldQuantity: 0,
        maxPerCustomer: null,
        lowStockThreshold: null,
        stockBuckets: 1,
        createdAt: at(7),
        updatedAt: at(7),
      });
      expect(await repo.findBySku(item.sku)).toEqual(stored);
    });

    it('should store a per-customer cap', async () => {
      const item = newItem({ maxPerCustomer: 2 });
      expect(await repo.insert(item, T0)).toMatchObject({ maxPerCustomer: 2 });
      expect(await repo.findBySku(item.sku)).toMatchObject({ maxPerCustomer: 2 });
    });

    it('should reject a SKU that exists with DuplicateSkuError and keep the original', async () => {
      const item = newItem();
      await repo.insert(item, T0);
      await expect(repo.insert({ ...item, productName: 'Other' }, T0)).rejects.toBeInstanceOf(DuplicateSkuError);
      expect((await repo.findBySku(item.sku))?.productName).toBe('Gaming Laptop');
    });

    it('should store a low-stock threshold, and change or remove it on update', async () => {
      const item = newItem({ lowStockThreshold: 3 });
      expect(await repo.insert(item, T0)).toMatchObject({ lowStockThreshold: 3 });
      expect(await repo.findBySku(item.sku)).toMatchObject({ lowStockThreshold: 3 });
      expect(await repo.updateIfRulesHold(item.sku, { lowStockThreshold: 5 }, at(1))).toMatchObject({ item: { lowStockThreshold: 5 } });
      expect(await repo.findBySku(item.sku)).toMatchObject({ lowStockThreshold: 5 });
      expect(await repo.updateIfRulesHold(item.sku, { lowStockThreshold: null }, at(2))).toMatchObject({
        item: { lowStockThreshold: null },
      });
      expect(await repo.findBySku(item.sku)).toMatchObject({ lowStockThreshold: null });
    });
  });

  describe('insertManySkippingExisting', () => {
    it('should insert the free SKUs and report the existing ones', async () => {
      const existing = await repo.insert(newItem({ productName: 'Existing' }), T0);
      const fresh = [newItem(), newItem({ totalQuantity: 3, availableQuantity: 1 })];
      const result = await repo.insertManySkippingExisting([fresh[0], { ...existing, productName: 'Again' }, fresh[1]], at(5));
      expect(result.existingSkus).toEqual([existing.sku]);
      expect(result.created.map((item) => item.sku).sort()).toEqual(fresh.map((item) => item.sku).sort());
      expect((await repo.findBySku(existing.sku))?.productName).toBe('Existing');
      expect(await repo.findBySku(fresh[1].sku)).toMatchObject({
        totalQuantity: 3,
        availableQuantity: 1,
        createdAt: at(5),
        updatedAt: at(5),
      });
      expect(result.created.map((item) => item.createdAt)).toEqual([at(5), at(5)]);
    });

    it("should store each item's per-customer cap, or none", async () => {
      const [capped, open] = [newItem({ maxPerCustomer: 3 }), newItem()];
      const result = await repo.insertManySkippingExisting([capped, open], T0);
      const caps = Object.fromEntries(result.created.map((item) => [item.sku, item.maxPerCustomer]));
      expect(caps).toEqual({ [capped.sku]: 3, [open.sku]: null });
      expect(await repo.findBySku(capped.sku)).toMatchObject({ maxPerCustomer: 3 });
    });
  });

  describe('findBySku', () => {
    it('should return null for an unknown SKU', async () => {
      expect(await repo.findBySku(uniqueSku('MISSING'))).toBeNull();
    });
  });

  describe('findMany', () => {
    it('should return the items of the SKUs that exist, each as findBySku does, and skip the others', async () => {
      const [first, second] = [await repo.insert(newItem(), at(1)), await repo.insert(newItem({ maxPerCustomer: 2 }), at(2))];
      const found = await repo.findMany([second.sku, uniqueSku('MISSING'), first.sku]);
      expect([...found].sort((a, b) => (a.sku < b.sku ? -1 : 1))).toEqual([first, second].sort((a, b) => (a.sku < b.sku ? -1 : 1)));
    });

    it('should return nothing for no SKUs or only unknown ones', async () => {
      expect(await repo.findMany([])).toEqual([]);
      expect(await repo.findMany([uniqueSku('MISSING'), uniqueSku('MISSING')])).toEqual([]);
    });

    it('should read 100 SKUs in one call', async () => {
      const created = await repo.insertManySkippingExisting(
        Array.from({ length: 100 }, () => newItem()),
        at(3),
      );
      const found = await repo.findMany(created.created.map((item) => item.sku));
      expect(new Set(found.map((item) => item.sku))).toEqual(new Set(created.created.map((item) => item.sku)));
      expect(found).toHaveLength(100);
    });

    it('should compare SKUs exactly (case-sensitive)', async () => {
      const item = await repo.insert(newItem({ sku: `${uniqueSku('Case')}-x` }), at(4));
      expect(await repo.findMany([item.sku.toUpperCase(), item.sku.toLowerCase()].filter((sku) => sku !== item.sku))).toEqual([]);
    });
  });

  describe('updateIfRulesHold', () => {
    it('should apply only the given fields and set updatedAt to the passed time', async () => {
      const before = await repo.insert(newItem({ totalQuantity: 10, availableQuantity: 10 }), T0);
      const result = await repo.updateIfRulesHold(before.sku, { totalQuantity: 20 }, at(60));
      expect(result.status).toBe('updated');
      if (result.status !== 'updated') return;
      expect(result.item).toMatchObject({
        productName: 'Gaming Laptop',
        totalQuantity: 20,
        availableQuantity: 10,
        createdAt: T0,
        updatedAt: at(60),
      });
      expect(await repo.findBySku(before.sku)).toEqual(result.item);
    });

    it('should refuse a change that breaks available + reserved + sold <= total and change nothing', async () => {
      const item = await repo.insert(newItem({ totalQuantity: 10, availableQuantity: 10 }), T0);
      await subject.setLevels(item.sku, { availableQuantity: 4, reservedQuantity: 3, soldQuantity: 2 });
      const result = await repo.updateIfRulesHold(item.sku, { totalQuantity: 8, productName: 'Renamed' }, at(1));
      expect(result).toMatchObject({
        status: 'rule_broken',
        current: { totalQuantity: 10, availableQuantity: 4, reservedQuantity: 3, soldQuantity: 2 },
        rule: 'availableQuantity + reservedQuantity + soldQuantity must not exceed totalQuantity (4 + 3 + 2 > 8)',
      });
      expect(await repo.findBySku(item.sku)).toMatchObject({ totalQuantity: 10, productName: 'Gaming Laptop' });
    });

    it('should judge the rule against reserved and sold units at write time', async () => {
      const item = await repo.insert(newItem({ totalQuantity: 10, availableQuantity: 5 }), T0);
      await subject.setLevels(item.sku, { reservedQuantity: 3 });
      expect((await repo.updateIfRulesHold(item.sku, { availableQuantity: 8 }, at(1))).status).toBe('rule_broken');
      expect(await repo.updateIfRulesHold(item.sku, { availableQuantity: 7 }, at(1))).toMatchObject({
        status: 'updated',
        item: { availableQuantity: 7, reservedQuantity: 3 },
      });
    });

    it('should set a per-customer cap, keep it through other changes and clear it with null', async () => {
      const item = await repo.insert(newItem(), T0);
      expect(await repo.updateIfRulesHold(item.sku, { maxPerCustomer: 4 }, at(1))).toMatchObject({
        status: 'updated',
        item: { maxPerCustomer: 4 },
      });
      expect(await repo.updateIfRulesHold(item.sku, { productName: 'Renamed' }, at(2))).toMatchObject({ item: { maxPerCustomer: 4 } });
      expect(await repo.findBySku(item.sku)).toMatchObject({ maxPerCustomer: 4, productName: 'Renamed' });
      expect(await repo.updateIfRulesHold(item.sku, { maxPerCustomer: null }, at(3))).toMatchObject({ item: { maxPerCustomer: null } });
      expect(await repo.findBySku(item.sku)).toMatchObject({ maxPerCustomer: null });
    });

    it('should report not_found for an unknown SKU', async () => {
      expect(await repo.updateIfRulesHold(uniqueSku('MISSING'), { totalQuantity: 1 }, at(1))).toEqual({ status: 'not_found' });
    });
  });

  describe('deleteIfNoActiveReservations', () => {
    it('should delete an item with nothing reserved', async () => {
      const item = await repo.insert(newItem(), T0);
      await subject.setLevels(item.sku, { availableQuantity: 5, soldQuantity: 5 });
      expect(await repo.deleteIfNoActiveReservations(item.sku, at(2))).toEqual({ status: 'deleted' });
      expect(await repo.findBySku(item.sku)).toBeNull();
    });

    it('should keep an item while units are reserved', async () => {
      const item = await repo.insert(newItem(), T0);
      await subject.setLevels(item.sku, { availableQuantity: 8, reservedQuantity: 2 });
      expect(await repo.deleteIfNoActiveReservations(item.sku, at(2))).toEqual({ status: 'has_active_reservations', reservedQuantity: 2 });
      expect(await repo.findBySku(item.sku)).not.toBeNull();
    });

    it('should report not_found for an unknown SKU', async () => {
      expect(await repo.deleteIfNoActiveReservations(uniqueSku('MISSING'), at(2))).toEqual({ status: 'not_found' });
    });

    it('should answer a delete racing the release of the last held units as deleted, held (with units) or contended', async () => {
      for (let round = 0; round < 10; round++) {
        const item = await repo.insert(newItem({ totalQuantity: 2, availableQuantity: 2 }), T0);
        const hold = {
          id: randomUUID(),
          userId: 'u',
          items: [{ sku: item.sku, quantity: 2 }],
          clientId: 'anonymous',
          idempotencyKey: randomUUID(),
          createdAt: T0,
          expiresAt: at(300),
        };
        await subject.reservations.tryReserve(hold);
        const [, outcome] = await Promise.all([
          subject.reservations.cancelIfActive(hold.id, { now: at(1), retainUntil: at(3601) }),
          repo.deleteIfNoActiveReservations(item.sku, at(2)),
        ]);
        if (outcome.status === 'has_active_reservations') expect(outcome.reservedQuantity).toBe(2);
        else expect(['deleted', 'contended']).toContain(outcome.status);
        if (outcome.status !== 'deleted') expect(await repo.deleteIfNoActiveReservations(item.sku, at(2))).toEqual({ status: 'deleted' });
      }
    });

    it("should delete the SKU's lines of finished holds (a hold with no other line: whole), other SKUs staying consistent", async () => {
      const [gone, kept] = [await repo.insert(newItem(), T0), await repo.insert(newItem(), T0)];
      const cartOf = (lines: { sku: string; quantity: number }[]) => ({
        id: randomUUID(),
        userId: 'u',
        items: [...lines].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
        clientId: 'anonymous',
        idempotencyKey: randomUUID(),
        createdAt: T0,
        expiresAt: at(300),
      });
      const both = cartOf([
        { sku: gone.sku, quantity: 2 },
        { sku: kept.sku, quantity: 1 },
      ]);
      const other = cartOf([{ sku: kept.sku, quantity: 3 }]);
      const alone = cartOf([{ sku: gone.sku, quantity: 1 }]);
      for (const hold of [both, other, alone]) expect((await subject.reservations.tryReserve(hold)).status).toBe('reserved');
      await subject.reservations.confirmIfActive(both.id, { now: at(1), retainUntil: at(3601) });
      await subject.reservations.cancelIfActive(alone.id, { now: at(1), retainUntil: at(3601) });
      expect(await repo.deleteIfNoActiveReservations(gone.sku, at(2))).toEqual({ status: 'deleted' });
      expect(await subject.reservations.findById(alone.id)).toBeNull();
      expect(await subject.reservations.findById(both.id)).toMatchObject({
        status: 'CONFIRMED',
        items: [{ sku: kept.sku, quantity: 1 }],
      });
      expect(await subject.reservations.findById(other.id)).toMatchObject({ status: 'RESERVED', items: other.items });
      expect(await subject.reservations.reconcile(kept.sku)).toMatchObject({
        reservedQuantity: 3,
        heldByActiveReservations: 3,
        soldQuantity: 1,
        soldByConfirmedReservations: 1,
      });
    });
  });
});

describeEachSubject('InventoryRepository.findPage contract', (subjectName) => {
  let subject: RepositorySubject;

  beforeAll(async () => {
    subject = await openSubject(subjectName);
    const levels = [5, 9, 5, 1, 7];
    for (const [index, available] of levels.entries()) {
      const maxPerCustomer = index === 1 ? 2 : undefined;
      const item = { sku: `P-${index}`, productName: `Product ${index}`, totalQuantity: 10, availableQuantity: available, maxPerCustomer };
      await subject.inventory.insert(item, T0);
    }
  });
  afterAll(() => subject.close());

  it('should sort by the requested field, break ties by sku and count every item', async () => {
    const page = await subject.inventory.findPage({ offset: 0, limit: 10, sortBy: 'availableQuantity', sortOrder: 'desc' });
    expect(page.total).toBe(5);
    expect(page.items.map((item) => item.sku)).toEqual(['P-1', 'P-4', 'P-0', 'P-2', 'P-3']);
  });

  it("should show each item's per-customer cap", async () => {
    const page = await subject.inventory.findPage({ offset: 0, limit: 10, sortBy: 'sku', sortOrder: 'asc' });
    expect(page.items.map((item) => item.maxPerCustomer)).toEqual([null, 2, null, null, null]);
  });

  it('should return the requested slice', async () => {
    const page = await subject.inventory.findPage({ offset: 2, limit: 2, sortBy: 'sku', sortOrder: 'asc' });
    expect(page.items.map((item) => item.sku)).toEqual(['P-2', 'P-3']);
    expect(page.total).toBe(5);
  });

  it('should return an empty page past the end', async () => {
    const page = await subject.inventory.findPage({ offset: 10, limit: 5, sortBy: 'sku', sortOrder: 'asc' });
    expect(page).toEqual({ items: [], total: 5 });
  });
});
