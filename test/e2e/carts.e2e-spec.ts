import { randomUUID } from 'node:crypto';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TestApp } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { reservationSuite, TTL } from '../support/reservation-suite';
import { uniqueSku } from '../support/unique';

/** The default RESERVATION_MAX_TTL_SECONDS, which the reservation suites keep. */
const MAX_TTL = 3600;

/**
 * Holds as carts (issue 13): POST /reservations, GET /reservations/:id with items, POST /reservations/:id/extend and
 * /release, and checkout of a whole cart. After every flow the counters of each SKU agree with the lines of its holds.
 */
describeEachBackend('Carts', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  const { expectConsistent } = suite;
  let testApp: TestApp;
  let api: ReservationApi;
  beforeAll(() => {
    ({ testApp, api } = suite);
  });

  /** SKUs whose byte order is their order here (A-..., B-..., C-...), each with `totalQuantity` units. */
  const createSkus = async (...totals: number[]): Promise<string[]> => {
    const skus = totals.map((_, n) => uniqueSku(String.fromCharCode(65 + n)));
    for (const [n, sku] of skus.entries()) {
      await api.http.post('/api/v1/admin/inventory').send({ sku, productName: 'Item', totalQuantity: totals[n] }).expect(201);
    }
    return skus;
  };
  const holdCart = async (items: { sku: string; quantity: number }[], extra: Record<string, unknown> = {}) =>
    (await api.hold({ userId: 'u', items, ...extra }).expect(201)).body.data;

  describe('POST /api/v1/reservations', () => {
    it('should hold every line, summing lines of one SKU, and answer 201 with the lines in SKU order', async () => {
      const [a, b, c] = await createSkus(10, 5, 3);
      const before = Date.now();
      const response = await api
        .hold(
          {
            userId: 'customer-101',
            items: [
              { sku: c, quantity: 1 },
              { sku: a, quantity: 2 },
              { sku: b, quantity: 1 },
              { sku: a, quantity: 3 },
            ],
          },
          `cart-${a}`,
        )
        .expect(201);
      expect(response.body).toEqual({
        success: true,
        message: 'Cart reserved successfully',
        data: {
          reservationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
          userId: 'customer-101',
          items: [
            { sku: a, quantity: 5 },
            { sku: b, quantity: 1 },
            { sku: c, quantity: 1 },
          ],
          status: 'RESERVED',
          expiresAt: expect.any(String),
          secondsLeft: TTL,
          idempotencyKey: `cart-${a}`,
          createdAt: expect.any(String),
          finishedAt: null,
        },
      });
      expect(Date.parse(response.body.data.expiresAt)).toBeGreaterThanOrEqual(before + TTL * 1000);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      await expectConsistent(a, { available: 5, reserved: 5, sold: 0 });
      await expectConsistent(b, { available: 4, reserved: 1, sold: 0 });
      await expectConsistent(c, { available: 2, reserved: 1, sold: 0 });
    });

    it('should show a one-line cart in the original shape too (top-level sku and quantity)', async () => {
      const [a] = await createSkus(10);
      const held = await holdCart([
        { sku: a, quantity: 1 },
        { sku: a, quantity: 1 },
      ]);
      expect(held).toMatchObject({ sku: a, quantity: 2, items: [{ sku: a, quantity: 2 }] });
      await expectConsistent(a, { available: 8, reserved: 2, sold: 0 });
    });

    it('should last ttlSeconds when given, up to RESERVATION_MAX_TTL_SECONDS', async () => {
      const [a] = await createSkus(10);
      expect((await holdCart([{ sku: a, quantity: 1 }], { ttlSeconds: 600 })).secondsLeft).toBe(600);
      expect((await holdCart([{ sku: a, quantity: 1 }], { ttlSeconds: MAX_TTL })).secondsLeft).toBe(MAX_TTL);
      const response = await api.hold({ userId: 'u', items: [{ sku: a, quantity: 1 }], ttlSeconds: MAX_TTL + 1 }).expect(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'ttlSeconds', messages: [`ttlSeconds must not be greater than ${MAX_TTL} (RESERVATION_MAX_TTL_SECONDS)`] }],
      });
      for (const ttlSeconds of [0, 1.5, '60', null]) {
        const refused = await api.hold({ userId: 'u', items: [{ sku: a, quantity: 1 }], ttlSeconds }).expect(400);
        expect(refused.body.errors[0].field).toBe('ttlSeconds');
      }
      await expectConsistent(a, { available: 8, reserved: 2, sold: 0 });
    });

    it('should hold nothing when a line is short, listing every short line (409 INSUFFICIENT_STOCK)', async () => {
      const [a, b, c] = await createSkus(10, 2, 1);
      const response = await api
        .hold({
          userId: 'u',
          items: [
            { sku: a, quantity: 4 },
            { sku: c, quantity: 2 },
            { sku: b, quantity: 3 },
          ],
        })
        .expect(409);
      expect(response.body).toMatchObject({
        success: false,
        code: 'INSUFFICIENT_STOCK',
        message: expect.stringContaining('Insufficient'),
        details: {
          shortages: [
            { sku: b, requested: 3, available: 2 },
            { sku: c, requested: 2, available: 1 },
          ],
        },
      });
      await expectConsistent(a, { available: 10, reserved: 0, sold: 0 });
      await expectConsistent(b, { available: 2, reserved: 0, sold: 0 });
      await expectConsistent(c, { available: 1, reserved: 0, sold: 0 });
    });

    it('should check the sum of lines naming one SKU, not each line alone', async () => {
      const [a] = await createSkus(3);
      const response = await api
        .hold({
          userId: 'u',
          items: [
            { sku: a, quantity: 2 },
            { sku: a, quantity: 2 },
          ],
        })
        .expect(409);
      expect(response.body.details).toEqual({ sku: a, requested: 4, available: 3, shortages: [{ sku: a, requested: 4, available: 3 }] });
      await expectConsistent(a, { available: 3, reserved: 0, sold: 0 });
    });

    it('should hold nothing when SKUs are unknown, listing them (404 INVENTORY_NOT_FOUND)', async () => {
      const [a] = await createSkus(10);
      const response = await api
        .hold({
          userId: 'u',
          items: [
            { sku: 'NO-SUCH-Z', quantity: 1 },
            { sku: a, quantity: 1 },
            { sku: 'NO-SUCH-Y', quantity: 1 },
          ],
        })
        .expect(404);
      expect(response.body).toMatchObject({
        code: 'INVENTORY_NOT_FOUND',
        details: { sku: 'NO-SUCH-Y', missing: ['NO-SUCH-Y', 'NO-SUCH-Z'] },
      });
      await expectConsistent(a, { available: 10, reserved: 0, sold: 0 });
    });

    it("should refuse a line past its SKU's per-customer cap (409 PER_CUSTOMER_LIMIT_EXCEEDED), holding nothing", async () => {
      const [a, b] = await createSkus(10, 10);
      await api.http.put(`/api/v1/admin/inventory/${b}`).send({ maxPerCustomer: 3 }).expect(200);
      await holdCart([
        { sku: a, quantity: 1 },
        { sku: b, quantity: 2 },
      ]);
      const response = await api
        .hold({
          userId: 'u',
          items: [
            { sku: a, quantity: 1 },
            { sku: b, quantity: 1 },
            { sku: b, quantity: 1 },
          ],
        })
        .expect(409);
      expect(response.body).toMatchObject({
        code: 'PER_CUSTOMER_LIMIT_EXCEEDED',
        details: { sku: b, userId: 'u', maxPerCustomer: 3, heldByCustomer: 2, requested: 2 },
      });
      await expectConsistent(a, { available: 9, reserved: 1, sold: 0 });
      await expectConsistent(b, { available: 8, reserved: 2, sold: 0 });
    });

    it.each([
      ['no items', { userId: 'u' }, 'items', 'items is required'],
      ['no lines', { userId: 'u', items: [] }, 'items', 'items must have 1 to 100 lines'],
      ['a missing quantity', { userId: 'u', items: [{ sku: 'SKU-1' }] }, 'items.0.quantity', 'quantity is required'],
      [
        'a fractional quantity',
        { userId: 'u', items: [{ sku: 'SKU-1', quantity: 1.5 }] },
        'items.0.quantity',
        'quantity must be an integer',
      ],
      [
        'a quantity over the bound',
        { userId: 'u', items: [{ sku: 'SKU-1', quantity: 10_001 }] },
        'items.0.quantity',
        'quantity must not be greater than 10000',
      ],
      ['a control character in a SKU', { userId: 'u', items: [{ sku: 'SKU\u0000', quantity: 1 }] }, 'items.0.sku', undefined],
      [
        'a control character in userId',
        { userId: 'u\u001b', items: [{ sku: 'SKU-1', quantity: 1 }] },
        'userId',
        'userId must not contain control characters',
      ],
      ['an unknown field in a line', { userId: 'u', items: [{ sku: 'SKU-1', quantity: 1, price: 1 }] }, 'items.0.price', undefined],
    ])('should answer 400 naming the field for %s', async (_name, body, field, message) => {
      const response = await api.hold(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors[0].field).toBe(field);
      if (message) expect(response.body.errors[0].messages).toEqual([message]);
    });

    it('should answer 400 for more than 100 lines, and for lines of one SKU summing past the largest quantity', async () => {
      const [a] = await createSkus(20_000);
      const many = Array.from({ length: 101 }, () => ({ sku: a, quantity: 1 }));
      const tooMany = await api.hold({ userId: 'u', items: many }).expect(400);
      expect(tooMany.body.errors).toEqual([{ field: 'items', messages: ['items must have 1 to 100 lines'] }]);
      const summed = await api
        .hold({
          userId: 'u',
          items: [
            { sku: a, quantity: 6_000 },
            { sku: a, quantity: 5_000 },
          ],
        })
        .expect(400);
      expect(summed.body).toMatchObject({ code: 'INVALID_QUANTITY', details: { quantity: 11_000, maxQuantity: 10_000 } });
      await expectConsistent(a, { available: 20_000, reserved: 0, sold: 0 });
    });

    it('should replay the first answer for the same key and cart, and answer 422 for another cart with that key', async () => {
      const [a, b] = await createSkus(10, 10);
      const key = `cart-replay-${a}`;
      const body = {
        userId: 'u',
        items: [
          { sku: a, quantity: 2 },
          { sku: b, quantity: 1 },
        ],
      };
      const first = await api.hold(body, key).expect(201);
      const replay = await api.hold(body, key).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      const other = await api.hold({ ...body, items: [{ sku: a, quantity: 3 }] }, key).expect(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await expectConsistent(a, { available: 8, reserved: 2, sold: 0 });
      await expectConsistent(b, { available: 9, reserved: 1, sold: 0 });
    });

    it('should share the key space of /inventory/reserve: a key used there answers 422 here and holds nothing more', async () => {
      const [a] = await createSkus(10);
      const key = `shared-${a}`;
      await api.reserve({ sku: a, userId: 'u', quantity: 2 }, key).expect(201);
      const response = await api.hold({ userId: 'u', items: [{ sku: a, quantity: 2 }] }, key).expect(422);
      expect(response.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await expectConsistent(a, { available: 8, reserved: 2, sold: 0 });
    });

    it('should answer 400 without an idempotency key, and hold nothing', async () => {
      const [a] = await createSkus(10);
      const response = await api.hold({ userId: 'u', items: [{ sku: a, quantity: 1 }] }, null).expect(400);
      expect(response.body.errors[0].field).toBe('Idempotency-Key');
      await expectConsistent(a, { available: 10, reserved: 0, sold: 0 });
    });
  });

  describe('GET /api/v1/reservations/:id', () => {
    it('should show every line of a cart, without top-level sku and quantity', async () => {
      const [a, b] = await createSkus(10, 10);
      const held = await holdCart([
        { sku: b, quantity: 1 },
        { sku: a, quantity: 2 },
      ]);
      const shown = (await api.get(held.reservationId).expect(200)).body.data;
      expect(shown).toMatchObject({
        reservationId: held.reservationId,
        status: 'RESERVED',
        items: [
          { sku: a, quantity: 2 },
          { sku: b, quantity: 1 },
        ],
      });
      expect(shown).not.toHaveProperty('sku');
      expect(shown).not.toHaveProperty('quantity');
    });

    it('should show a hold of /inventory/reserve with its sku, quantity and its one line', async () => {
      const [a] = await createSkus(10);
      const held = (await api.reserve({ sku: a, userId: 'u', quantity: 3 }).expect(201)).body.data;
      expect((await api.get(held.reservationId).expect(200)).body.data).toMatchObject({
        sku: a,
        quantity: 3,
        items: [{ sku: a, quantity: 3 }],
      });
    });
  });

  describe('POST /api/v1/reservations/:id/extend', () => {
    it('should move the expiry later from its current value, keeping the stock held', async () => {
      const [a, b] = await createSkus(10, 10);
      const held = await holdCart([
        { sku: a, quantity: 1 },
        { sku: b, quantity: 1 },
      ]);
      const response = await api.extend(held.reservationId, { seconds: 120 }).expect(200);
      expect(response.body).toMatchObject({
        success: true,
        message: 'Reservation extended successfully',
        data: { reservationId: held.reservationId, status: 'RESERVED', secondsLeft: TTL + 120 },
      });
      expect(Date.parse(response.body.data.expiresAt)).toBe(Date.parse(held.expiresAt) + 120_000);
      const again = (await api.extend(held.reservationId, { seconds: 60 }).expect(200)).body.data;
      expect(Date.parse(again.expiresAt)).toBe(Date.parse(held.expiresAt) + 180_000);
      expect((await api.get(held.reservationId)).body.data.expiresAt).toBe(again.expiresAt);
      await expectConsistent(a, { available: 9, reserved: 1, sold: 0 });
    });

    it('should replay an extension sent again with the same Idempotency-Key, extending once', async () => {
      const [a] = await createSkus(10);
      const held = await holdCart([{ sku: a, quantity: 1 }]);
      const key = `extend-${a}`;
      const first = await api.extend(held.reservationId, { seconds: 100 }, key).expect(200);
      const replay = await api.extend(held.reservationId, { seconds: 100 }, key).expect(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.data.expiresAt).toBe(first.body.data.expiresAt);
      expect((await api.get(held.reservationId)).body.data.expiresAt).toBe(first.body.data.expiresAt);
      expect(Date.parse(first.body.data.expiresAt)).toBe(Date.parse(held.expiresAt) + 100_000);
      expect((await api.extend(held.reservationId, { seconds: 50 }, key).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      // The same key on another hold is another request (the hold's id counts): 422, not the first hold's answer.
      const other = await holdCart([{ sku: a, quantity: 1 }]);
      expect((await api.extend(other.reservationId, { seconds: 100 }, key).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await api.get(other.reservationId)).body.data.expiresAt).toBe(other.expiresAt);
    });

    it('should allow a life of exactly RESERVATION_MAX_TTL_SECONDS and answer 409 HOLD_LIFETIME_EXCEEDED past it', async () => {
      const [a] = await createSkus(10);
      const held = await holdCart([{ sku: a, quantity: 1 }]);
      await api.extend(held.reservationId, { seconds: MAX_TTL - TTL }).expect(200);
      const response = await api.extend(held.reservationId, { seconds: 1 }).expect(409);
      expect(response.body).toMatchObject({
        code: 'HOLD_LIFETIME_EXCEEDED',
        message: expect.stringContaining(`at most ${MAX_TTL} seconds`),
        details: { reservationId: held.reservationId, maxLifetimeSeconds: MAX_TTL, createdAt: held.createdAt },
      });
      expect(Date.parse((await api.get(held.reservationId)).body.data.expiresAt)).toBe(Date.parse(held.createdAt) + MAX_TTL * 1000);
      await expectConsistent(a, { available: 9, reserved: 1, sold: 0 });
    });

    it('should answer 409 with the status of a confirmed or cancelled hold', async () => {
      const [a] = await createSkus(10);
      const confirmed = await holdCart([{ sku: a, quantity: 1 }]);
      await api.confirm(confirmed.reservationId).expect(200);
      const cancelled = await holdCart([{ sku: a, quantity: 1 }]);
      await api.cancel(cancelled.reservationId).expect(200);
      for (const [id, status] of [
        [confirmed.reservationId, 'CONFIRMED'],
        [cancelled.reservationId, 'CANCELLED'],
      ]) {
        const response = await api.extend(id, { seconds: 60 }).expect(409);
        expect(response.body).toMatchObject({ code: 'RESERVATION_STATE_CONFLICT', details: { reservationId: id, status } });
      }
      await expectConsistent(a, { available: 9, reserved: 0, sold: 1 });
    });

    it('should answer 410 for a hold whose time has passed, expiring it with every line returned', async () => {
      const [a, b] = await createSkus(10, 10);
      const held = await holdCart([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 3 },
      ]);
      const shifted = shiftClock(testApp.app, TTL + 1);
      expect((await api.extend(held.reservationId, { seconds: 60 }).expect(410)).body.code).toBe('RESERVATION_EXPIRED');
      shifted.mockRestore();
      expect((await api.get(held.reservationId)).body.data.status).toBe('EXPIRED');
      await api.extend(held.reservationId, { seconds: 60 }).expect(410);
      await expectConsistent(a, { available: 10, reserved: 0, sold: 0 });
      await expectConsistent(b, { available: 10, reserved: 0, sold: 0 });
    });

    it('should answer 400 for seconds outside 1 to RESERVATION_MAX_TTL_SECONDS or a malformed id, 404 for an unknown hold', async () => {
      const [a] = await createSkus(10);
      const held = await holdCart([{ sku: a, quantity: 1 }]);
      for (const seconds of [0, MAX_TTL + 1, 1.5, '60', null]) {
        const response = await api.extend(held.reservationId, { seconds }).expect(400);
        expect(response.body.errors[0].field).toBe('seconds');
      }
      await api.extend(held.reservationId, {}).expect(400);
      expect((await api.extend('not-a-uuid', { seconds: 60 }).expect(400)).body.errors[0].field).toBe('reservationId');
      expect((await api.extend(randomUUID(), { seconds: 60 }).expect(404)).body.code).toBe('RESERVATION_NOT_FOUND');
      expect((await api.get(held.reservationId)).body.data.expiresAt).toBe(held.expiresAt);
    });
  });

  describe('POST /api/v1/reservations/:id/release', () => {
    it('should return released units to available, shrink the line and drop a line released to zero', async () => {
      const [a, b] = await createSkus(10, 10);
      const held = await holdCart([
        { sku: a, quantity: 3 },
        { sku: b, quantity: 2 },
      ]);
      const partial = await api.release(held.reservationId, { items: [{ sku: a, quantity: 1 }] }).expect(200);
      expect(partial.body).toMatchObject({
        message: 'Units released successfully',
        data: {
          status: 'RESERVED',
          items: [
            { sku: a, quantity: 2 },
            { sku: b, quantity: 2 },
          ],
        },
      });
      await expectConsistent(a, { available: 8, reserved: 2, sold: 0 });
      const dropped = (await api.release(held.reservationId, { items: [{ sku: b, quantity: 2 }] }).expect(200)).body.data;
      expect(dropped).toMatchObject({ status: 'RESERVED', sku: a, quantity: 2, items: [{ sku: a, quantity: 2 }] });
      await expectConsistent(b, { available: 10, reserved: 0, sold: 0 });
      expect((await api.get(held.reservationId)).body.data.items).toEqual([{ sku: a, quantity: 2 }]);
      // What is left is confirmed as it stands.
      expect((await api.confirm(held.reservationId).expect(200)).body.data.items).toEqual([{ sku: a, quantity: 2 }]);
      await expectConsistent(a, { available: 8, reserved: 0, sold: 2 });
      await expectConsistent(b, { available: 10, reserved: 0, sold: 0 });
    });

    it('should cancel the hold when every unit left is released, with all its stock back', async () => {
      const [a, b] = await createSkus(10, 10);
      const held = await holdCart([
        { sku: a, quantity: 3 },
        { sku: b, quantity: 2 },
      ]);
      const response = await api
        .release(held.reservationId, {
          items: [
            { sku: b, quantity: 2 },
            { sku: a, quantity: 1 },
            { sku: a, quantity: 2 },
          ],
        })
        .expect(200);
      expect(response.body).toMatchObject({
        message: 'Every unit was released; the reservation is cancelled',
        data: {
          status: 'CANCELLED',
          finishedAt: expect.any(String),
          items: [
            { sku: a, quantity: 3 },
            { sku: b, quantity: 2 },
          ],
        },
      });
      expect((await api.get(held.reservationId)).body.data.status).toBe('CANCELLED');
      await expectConsistent(a, { available: 10, reserved: 0, sold: 0 });
      await expectConsistent(b, { available: 10, reserved: 0, sold: 0 });
    });

    it('should answer 409 RELEASE_EXCEEDS_HOLD naming the line, and move nothing', async () => {
      const [a, b] = await createSkus(10, 10);
      const held = await holdCart([
        { sku: a, quantity: 3 },
        { sku: b, quantity: 2 },
      ]);
      const response = await api
        .release(held.reservationId, {
          items: [
            { sku: a, quantity: 1 },
            { sku: b, quantity: 3 },
          ],
        })
        .expect(409);
      expect(response.body).toMatchObject({
        code: 'RELEASE_EXCEEDS_HOLD',
        details: { reservationId: held.reservationId, sku: b, held: 2, requested: 3 },
      });
      const absent = await api.release(held.reservationId, { items: [{ sku: 'NOT-HELD', quantity: 1 }] }).expect(409);
      expect(absent.body.details).toMatchObject({ sku: 'NOT-HELD', held: 0, requested: 1 });
      expect((await api.get(held.reservationId)).body.data.items).toEqual([
        { sku: a, quantity: 3 },
        { sku: b, quantity: 2 },
      ]);
      await expectConsistent(a, { available: 7, reserved: 3, sold: 0 });
      await expectConsistent(b, { available: 8, reserved: 2, sold: 0 });
    });

    it('should replay a release sent again with the same Idempotency-Key, releasing once', async () => {
      const [a] = await createSkus(10);
      const held = await holdCart([{ sku: a, quantity: 4 }]);
      const key = `release-${a}`;
      const first = await api.release(held.reservationId, { items: [{ sku: a, quantity: 1 }] }, key).expect(200);
      const replay = await api.release(held.reservationId, { items: [{ sku: a, quantity: 1 }] }, key).expect(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect((await api.release(held.reservationId, { items: [{ sku: a, quantity: 2 }] }, key).expect(422)).body.code).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect((await api.get(held.reservationId)).body.data.items).toEqual([{ sku: a, quantity: 3 }]);
      await expectConsistent(a, { available: 7, reserved: 3, sold: 0 });
    });

    it('should answer 409 with the status of a finished hold and 410 for a hold whose time has passed', async () => {
      const [a] = await createSkus(10);
      const confirmed = await holdCart([{ sku: a, quantity: 1 }]);
      await api.confirm(confirmed.reservationId).expect(200);
      const refused = await api.release(confirmed.reservationId, { items: [{ sku: a, quantity: 1 }] }).expect(409);
      expect(refused.body).toMatchObject({ code: 'RESERVATION_STATE_CONFLICT', details: { status: 'CONFIRMED' } });
      const due = await holdCart([{ sku: a, quantity: 2 }]);
      const shifted = shiftClock(testApp.app, TTL + 1);
      expect((await api.release(due.reservationId, { items: [{ sku: a, quantity: 1 }] }).expect(410)).body.code).toBe(
        'RESERVATION_EXPIRED',
      );
      shifted.mockRestore();
      expect((await api.get(due.reservationId)).body.data).toMatchObject({ status: 'EXPIRED', items: [{ sku: a, quantity: 2 }] });
      await expectConsistent(a, { available: 9, reserved: 0, sold: 1 });
    });

    it('should answer 400 for invalid lines or a malformed id, 404 for an unknown hold', async () => {
      const [a] = await createSkus(10);
      const held = await holdCart([{ sku: a, quantity: 2 }]);
      expect((await api.release(held.reservationId, { items: [] }).expect(400)).body.errors[0].field).toBe('items');
      const noQuantity = await api.release(held.reservationId, { items: [{ sku: a }] }).expect(400);
      expect(noQuantity.body.errors).toEqual([{ field: 'items.0.quantity', messages: ['quantity is required'] }]);
      await api.release(held.reservationId, { items: [{ sku: a, quantity: 0 }] }).expect(400);
      await api.release('not-a-uuid', { items: [{ sku: a, quantity: 1 }] }).expect(400);
      expect((await api.release(randomUUID(), { items: [{ sku: a, quantity: 1 }] }).expect(404)).body.code).toBe('RESERVATION_NOT_FOUND');
      await expectConsistent(a, { available: 8, reserved: 2, sold: 0 });
    });
  });

  describe('checkout of a cart', () => {
    it('should confirm every line at once and answer with the lines', async () => {
      const [a, b] = await createSkus(10, 10);
      const held = await holdCart([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 3 },
      ]);
      const response = await api.confirm(held.reservationId).expect(200);
      expect(response.body.data).toMatchObject({
        status: 'CONFIRMED',
        items: [
          { sku: a, quantity: 2 },
          { sku: b, quantity: 3 },
        ],
      });
      expect(response.body.data).not.toHaveProperty('sku');
      await expectConsistent(a, { available: 8, reserved: 0, sold: 2 });
      await expectConsistent(b, { available: 7, reserved: 0, sold: 3 });
    });

    it('should cancel every line at once, and expire every line of a due cart once', async () => {
      const [a, b] = await createSkus(10, 10);
      const cancelled = await holdCart([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 3 },
      ]);
      expect((await api.cancel(cancelled.reservationId).expect(200)).body.data).toMatchObject({
        status: 'CANCELLED',
        items: [
          { sku: a, quantity: 2 },
          { sku: b, quantity: 3 },
        ],
      });
      const due = await holdCart([
        { sku: a, quantity: 1 },
        { sku: b, quantity: 1 },
      ]);
      const shifted = shiftClock(testApp.app, TTL + 1);
      expect((await api.cancel(due.reservationId).expect(200)).body.data.status).toBe('EXPIRED');
      expect((await api.cancel(due.reservationId).expect(200)).body.data.status).toBe('EXPIRED');
      shifted.mockRestore();
      await expectConsistent(a, { available: 10, reserved: 0, sold: 0 });
      await expectConsistent(b, { available: 10, reserved: 0, sold: 0 });
    });
  });
});
