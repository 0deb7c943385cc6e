import { InventoryRepository } from '@app/core';
import request from 'supertest';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { forceStockLevels } from '../support/stock-levels';
import { uniqueSku } from '../support/unique';

describeEachBackend('Inventory API', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config);
    http = withKey(testApp.server);
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  const create = (body: Record<string, unknown>) => http.post('/api/v1/admin/inventory').send(body);
  const stored = (sku: string) => testApp.app.get(InventoryRepository).findBySku(sku);
  /** Arranges held and sold stock directly, as reservations would. */
  const setLevels = (sku: string, levels: { availableQuantity: number; reservedQuantity: number; soldQuantity: number }) =>
    forceStockLevels(testApp.app, backend, sku, levels);

  describe('POST /api/v1/admin/inventory', () => {
    it('should create a SKU and answer 201 with the item in the envelope of the original service', async () => {
      const sku = uniqueSku();
      const response = await create({ sku, productName: 'MacBook Pro 16 inch', totalQuantity: 100, availableQuantity: 100 }).expect(201);
      expect(response.body).toEqual({
        success: true,
        message: 'Inventory created successfully',
        data: {
          sku,
          productName: 'MacBook Pro 16 inch',
          totalQuantity: 100,
          availableQuantity: 100,
          reservedQuantity: 0,
          soldQuantity: 0,
          maxPerCustomer: null,
          lowStockThreshold: null,
          stockBuckets: 1,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      });
      expect(await stored(sku)).toMatchObject({ totalQuantity: 100, availableQuantity: 100 });
    });

    it('should default availableQuantity to totalQuantity', async () => {
      const sku = uniqueSku();
      const response = await create({ sku, productName: 'Phone', totalQuantity: 7 }).expect(201);
      expect(response.body.data.availableQuantity).toBe(7);
    });

    it('should answer 409 for a duplicate SKU and keep the original', async () => {
      const sku = uniqueSku();
      await create({ sku, productName: 'First', totalQuantity: 1 }).expect(201);
      const response = await create({ sku, productName: 'Second', totalQuantity: 2 }).expect(409);
      expect(response.body).toMatchObject({ success: false, code: 'DUPLICATE_SKU', message: `Inventory item '${sku}' already exists` });
      expect((await stored(sku))?.productName).toBe('First');
    });

    it('should answer 400 when availableQuantity exceeds totalQuantity, and store nothing', async () => {
      const sku = uniqueSku();
      const response = await create({ sku, productName: 'x', totalQuantity: 2, availableQuantity: 3 }).expect(400);
      expect(response.body).toMatchObject({ success: false, code: 'INVALID_STOCK' });
      expect(response.body.message).toContain('must not exceed totalQuantity');
      expect(await stored(sku)).toBeNull();
    });

    it.each([
      ['a missing sku', { productName: 'x', totalQuantity: 1 }, 'sku'],
      ['a malformed sku', { sku: 'has space', productName: 'x', totalQuantity: 1 }, 'sku'],
      ['a too long sku', { sku: 'A'.repeat(65), productName: 'x', totalQuantity: 1 }, 'sku'],
      ['a blank productName', { sku: 'OK-1', productName: '   ', totalQuantity: 1 }, 'productName'],
      ['a string quantity', { sku: 'OK-1', productName: 'x', totalQuantity: '5' }, 'totalQuantity'],
      ['a fractional quantity', { sku: 'OK-1', productName: 'x', totalQuantity: 1.5 }, 'totalQuantity'],
      ['a negative quantity', { sku: 'OK-1', productName: 'x', totalQuantity: -1 }, 'totalQuantity'],
      ['a quantity over the bound', { sku: 'OK-1', productName: 'x', totalQuantity: 1_000_000_001 }, 'totalQuantity'],
      ['a null availableQuantity', { sku: 'OK-1', productName: 'x', totalQuantity: 1, availableQuantity: null }, 'availableQuantity'],
      ['an unknown field', { sku: 'OK-1', productName: 'x', totalQuantity: 1, reservedQuantity: 0 }, 'reservedQuantity'],
    ])('should answer 400 naming the field for %s', async (_label, body, field) => {
      const response = await create(body).expect(400);
      expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(await stored('OK-1')).toBeNull();
    });
  });

  describe('POST /api/v1/admin/inventory/bulk', () => {
    it('should create the good items and report each bad one by index', async () => {
      const existing = uniqueSku();
      await create({ sku: existing, productName: 'Existing', totalQuantity: 1 }).expect(201);
      const [a, b] = [uniqueSku(), uniqueSku()];
      const response = await http
        .post('/api/v1/admin/inventory/bulk')
        .send({
          items: [
            { sku: a, productName: 'iPhone 15 Pro', totalQuantity: 200, availableQuantity: 200 },
            { sku: existing, productName: 'Dup', totalQuantity: 1 },
            { sku: 'bad sku', productName: 'x', totalQuantity: 1 },
            { sku: b, productName: 'iPad Air', totalQuantity: 150 },
            { sku: a, productName: 'Again', totalQuantity: 1 },
            42,
          ],
        })
        .expect(201);
      const createdItem = (sku: string, productName: string, quantity: number) => ({
        sku,
        productName,
        totalQuantity: quantity,
        availableQuantity: quantity,
        reservedQuantity: 0,
        soldQuantity: 0,
        maxPerCustomer: null,
        lowStockThreshold: null,
        stockBuckets: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const invalidSku = "items[2].sku: sku must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
      const duplicate = `Inventory item '${existing}' already exists`;
      const repeated = `Inventory item '${a}' appears more than once in this batch`;
      expect(response.body).toEqual({
        success: true,
        message: 'Bulk inventory created: 2 succeeded, 4 failed',
        data: {
          success: 2,
          failed: 4,
          created: [createdItem(a, 'iPhone 15 Pro', 200), createdItem(b, 'iPad Air', 150)],
          errors: [
            { index: 1, sku: existing, error: duplicate, code: 'DUPLICATE_SKU', message: duplicate },
            { index: 2, sku: 'bad sku', error: invalidSku, code: 'VALIDATION_FAILED', message: invalidSku },
            { index: 4, sku: a, error: repeated, code: 'DUPLICATE_SKU', message: repeated },
            { index: 5, error: 'items[5] must be an object', code: 'VALIDATION_FAILED', message: 'items[5] must be an object' },
          ],
        },
      });
      expect(await stored(b)).toMatchObject({ productName: 'iPad Air', availableQuantity: 150 });
      expect((await stored(existing))?.productName).toBe('Existing');
    });

    it('should reject an empty batch with 400', async () => {
      const response = await http.post('/api/v1/admin/inventory/bulk').send({ items: [] }).expect(400);
      expect(response.body.errors[0]).toMatchObject({ field: 'items', messages: ['items must contain at least 1 item'] });
    });

    it('should reject a batch over 500 items with 400 and create none of them', async () => {
      const prefix = uniqueSku('BULK');
      const items = Array.from({ length: 501 }, (_, i) => ({ sku: `${prefix}-${i}`, productName: 'x', totalQuantity: 1 }));
      const response = await http.post('/api/v1/admin/inventory/bulk').send({ items }).expect(400);
      expect(response.body.errors[0].messages).toEqual(['items must contain at most 500 items']);
      expect(await stored(`${prefix}-0`)).toBeNull();
    });

    it('should reject a body without an items array', async () => {
      await http.post('/api/v1/admin/inventory/bulk').send({ items: 'x' }).expect(400);
    });
  });

  describe('GET /api/v1/admin/inventory/all', () => {
    it('should page and sort with pagination metadata', async () => {
      const page1 = await http.get('/api/v1/admin/inventory/all?page=1&limit=2&sortBy=sku&sortOrder=desc').expect(200);
      const everything = await http.get('/api/v1/admin/inventory/all?limit=100&sortBy=sku&sortOrder=desc').expect(200);
      const total = everything.body.data.pagination.totalItems;
      expect(total).toBeGreaterThan(2);
      expect(page1.body.data.items.map((item: { sku: string }) => item.sku)).toEqual(
        everything.body.data.items.slice(0, 2).map((item: { sku: string }) => item.sku),
      );
      expect(page1.body.data.pagination).toEqual({
        page: 1,
        limit: 2,
        totalItems: total,
        totalPages: Math.ceil(total / 2),
        hasNextPage: true,
        hasPreviousPage: false,
        currentPage: 1,
        itemsPerPage: 2,
      });
      const skus = everything.body.data.items.map((item: { sku: string }) => item.sku);
      expect(skus).toEqual([...skus].sort().reverse());
    });

    it('should default to page 1, 10 items, sorted by sku', async () => {
      const response = await http.get('/api/v1/admin/inventory/all').expect(200);
      expect(response.body.data.pagination).toMatchObject({ page: 1, limit: 10 });
      const skus = response.body.data.items.map((item: { sku: string }) => item.sku);
      expect(skus).toHaveLength(Math.min(10, response.body.data.pagination.totalItems));
      const explicit = await http.get('/api/v1/admin/inventory/all?page=1&limit=10&sortBy=sku&sortOrder=asc').expect(200);
      expect(skus).toEqual(explicit.body.data.items.map((item: { sku: string }) => item.sku));
      expect(skus).toEqual([...skus].sort());
    });

    it('should keep the stock rule under concurrent updates of one SKU', async () => {
      const sku = uniqueSku();
      await create({ sku, productName: 'x', totalQuantity: 100 }).expect(201);
      await setLevels(sku, { availableQuantity: 40, reservedQuantity: 30, soldQuantity: 20 });
      const changes = Array.from({ length: 24 }, (_, i) =>
        i % 2 === 0 ? { totalQuantity: 90 + (i % 5) * 5 } : { availableQuantity: 40 + (i % 7) * 3 },
      );
      const responses = await Promise.all(changes.map((change) => http.put(`/api/v1/admin/inventory/${sku}`).send(change)));
      for (const response of responses) {
        expect([200, 409]).toContain(response.status);
        if (response.status === 409) expect(response.body.code).toBe('STOCK_RULE_VIOLATION');
      }
      const final = (await stored(sku))!;
      expect(final.availableQuantity + final.reservedQuantity + final.soldQuantity).toBeLessThanOrEqual(final.totalQuantity);
    });

    it.each([
      ['sortBy=password', 'sortBy'],
      ['limit=101', 'limit'],
      ['limit=0', 'limit'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['sortOrder=sideways', 'sortOrder'],
      ['filter=x', 'filter'],
    ])('should answer 400 for %s', async (query, field) => {
      const response = await http.get(`/api/v1/admin/inventory/all?${query}`).expect(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });
  });

  describe('PUT /api/v1/admin/inventory/:sku', () => {
    it('should apply a partial update', async () => {
      const sku = uniqueSku();
      await create({ sku, productName: 'Old', totalQuantity: 100 }).expect(201);
      const response = await http.put(`/api/v1/admin/inventory/${sku}`).send({ totalQuantity: 200, availableQuantity: 200 }).expect(200);
      expect(response.body).toMatchObject({
        success: true,
        message: 'Inventory updated successfully',
        data: { sku, productName: 'Old', totalQuantity: 200, availableQuantity: 200 },
      });
      await http.put(`/api/v1/admin/inventory/${sku}`).send({ productName: 'New' }).expect(200);
      expect(await stored(sku)).toMatchObject({ productName: 'New', totalQuantity: 200 });
    });

    it('should answer 409 naming the rule when the change would break it, and change nothing', async () => {
      const sku = uniqueSku();
      await create({ sku, productName: 'x', totalQuantity: 10 }).expect(201);
      await setLevels(sku, { availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 });
      const response = await http.put(`/api/v1/admin/inventory/${sku}`).send({ totalQuantity: 9 }).expect(409);
      expect(response.body).toMatchObject({ success: false, code: 'STOCK_RULE_VIOLATION' });
      expect(response.body.message).toContain(
        'availableQuantity + reservedQuantity + soldQuantity must not exceed totalQuantity (5 + 3 + 2 > 9)',
      );
      expect(await stored(sku)).toMatchObject({ totalQuantity: 10, availableQuantity: 5 });
    });

    it('should answer 404 for an unknown SKU', async () => {
      const response = await http
        .put(`/api/v1/admin/inventory/${uniqueSku('NOPE')}`)
        .send({ totalQuantity: 1 })
        .expect(404);
      expect(response.body.code).toBe('INVENTORY_NOT_FOUND');
    });

    it.each([
      ['an empty body', {}],
      ['reservedQuantity', { reservedQuantity: 1 }],
      ['a negative quantity', { availableQuantity: -1 }],
      ['a null name', { productName: null }],
    ])('should answer 400 for %s', async (_label, body) => {
      const sku = uniqueSku();
      await create({ sku, productName: 'x', totalQuantity: 1 }).expect(201);
      const response = await http.put(`/api/v1/admin/inventory/${sku}`).send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('DELETE /api/v1/admin/inventory/:sku', () => {
    it('should delete and answer 200, then 404', async () => {
      const sku = uniqueSku();
      await create({ sku, productName: 'x', totalQuantity: 1 }).expect(201);
      const response = await http.delete(`/api/v1/admin/inventory/${sku}`).expect(200);
      expect(response.body).toEqual({ success: true, message: 'Inventory deleted successfully', data: { sku } });
      expect(await stored(sku)).toBeNull();
      await http.delete(`/api/v1/admin/inventory/${sku}`).expect(404);
    });

    it('should answer 409 while units are held by active reservations', async () => {
      const sku = uniqueSku();
      await create({ sku, productName: 'x', totalQuantity: 5 }).expect(201);
      await setLevels(sku, { availableQuantity: 3, reservedQuantity: 2, soldQuantity: 0 });
      const response = await http.delete(`/api/v1/admin/inventory/${sku}`).expect(409);
      expect(response.body).toMatchObject({ code: 'SKU_HAS_ACTIVE_RESERVATIONS', details: { reservedQuantity: 2 } });
      expect(await stored(sku)).not.toBeNull();
    });

    it('should answer 400 for a malformed SKU', async () => {
      await http.delete('/api/v1/admin/inventory/bad%20sku').expect(400);
    });
  });

  describe('GET /api/v1/inventory/:sku', () => {
    it('should show the public view of a SKU', async () => {
      const sku = uniqueSku();
      await create({ sku, productName: 'Gaming Laptop', totalQuantity: 50, availableQuantity: 45 }).expect(201);
      const response = await http.get(`/api/v1/inventory/${sku}`).expect(200);
      expect(response.body).toEqual({
        success: true,
        data: { sku, productName: 'Gaming Laptop', totalQuantity: 50, availableQuantity: 45 },
      });
    });

    it('should answer 404 for an unknown SKU', async () => {
      const response = await http.get(`/api/v1/inventory/${uniqueSku('NOPE')}`).expect(404);
      expect(response.body).toMatchObject({ success: false, code: 'INVENTORY_NOT_FOUND' });
    });
  });
});
