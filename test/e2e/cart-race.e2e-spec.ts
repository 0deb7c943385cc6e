import { randomUUID } from 'node:crypto';
import { createTestDatabase, describeEachBackend, SHARED_BACKENDS, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';

interface Line {
  sku: string;
  quantity: number;
}

const STOCK_PER_SKU = 30;

/**
 * Many carts over overlapping SKUs, listed in opposite orders, from two complete instances on one database: no request
 * may fail with a 5xx (a deadlock would), nothing is oversold, and every SKU's counters equal the sums of its lines.
 */
describeEachBackend('Carts racing over shared SKUs on two instances', SHARED_BACKENDS, (backend) => {
  let database: TestDatabase;
  let instances: TestApp[];
  let apis: ReservationApi[];

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    instances = [await createTestApp(database.config), await createTestApp(database.config)];
    apis = instances.map((instance) => new ReservationApi(withKey(instance.server)));
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    await database.dispose();
  });

  const holdCart = (n: number, items: Line[]) =>
    apis[n % 2].http
      .post('/api/v1/reservations')
      .set('Idempotency-Key', randomUUID())
      .send({ userId: `shopper-${n}`, items });

  /** Every SKU's counters agree with its lines and its ledger, and units are neither lost nor made up. */
  async function expectConsistent(skus: string[]) {
    for (const sku of skus) {
      const r = await apis[0].reconcile(sku);
      expect({ sku, consistent: r.consistent, ledger: r.fromLedger }).toEqual({ sku, consistent: true, ledger: r.counters });
      const { availableQuantity, reservedQuantity, soldQuantity, totalQuantity } = r.counters;
      expect(availableQuantity + reservedQuantity + soldQuantity).toBe(totalQuantity);
    }
  }

  it('should hold each cart whole or not at all, with no deadlock surfacing, and keep every counter equal to its lines', async () => {
    const skus = await Promise.all(Array.from({ length: 6 }, () => apis[0].createSku(STOCK_PER_SKU)));
    const carts: Line[][] = Array.from({ length: 90 }, (_, n) => {
      const picked = [skus[n % 6], skus[(n + 1) % 6], skus[(n + 3) % 6]].map((sku, i) => ({ sku, quantity: 1 + ((n + i) % 2) }));
      return n % 2 === 0 ? picked : picked.reverse();
    });
    const responses = await Promise.all(carts.map((items, n) => holdCart(n, items)));

    expect(responses.filter((r) => r.status >= 500).map((r) => r.body)).toEqual([]);
    expect(responses.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body)).toEqual([]);
    const held = responses.flatMap((r, n) => (r.status === 201 ? [n] : []));
    expect(held.length).toBeGreaterThan(0);
    for (const r of responses.filter((response) => response.status === 409)) expect(r.body.code).toBe('INSUFFICIENT_STOCK');

    // Reserved units of each SKU are exactly the lines of the carts that got 201.
    for (const sku of skus) {
      const expected = held.reduce(
        (units, n) => units + carts[n].filter((line) => line.sku === sku).reduce((t, l) => t + l.quantity, 0),
        0,
      );
      const r = await apis[1].reconcile(sku);
      expect({ sku, reserved: r.counters.reservedQuantity }).toEqual({ sku, reserved: expected });
      expect(r.counters.reservedQuantity).toBeLessThanOrEqual(STOCK_PER_SKU);
    }
    await expectConsistent(skus);

    // End every hold from both instances at once: confirm on one, cancel on the other, a partial release on some.
    const ids = held.map((n) => responses[n].body.data.reservationId as string);
    const endings = await Promise.all(
      ids.flatMap((id, i) => [
        apis[i % 2].confirm(id),
        apis[(i + 1) % 2].cancel(id),
        apis[i % 2].http.post(`/api/v1/reservations/${id}/release`).send({ items: [{ sku: carts[held[i]][0].sku, quantity: 1 }] }),
      ]),
    );
    expect(endings.filter((r) => r.status >= 500).map((r) => r.body)).toEqual([]);
    for (let i = 0; i < ids.length; i++) {
      const [confirm, cancel] = [endings[i * 3], endings[i * 3 + 1]];
      expect([confirm.status, cancel.status].sort()).toEqual([200, 409]);
    }
    for (const sku of skus) {
      const r = await apis[0].reconcile(sku);
      expect(r.counters.reservedQuantity).toBe(0);
      expect(r.counters.availableQuantity + r.counters.soldQuantity).toBe(STOCK_PER_SKU);
    }
    await expectConsistent(skus);
  });
});
