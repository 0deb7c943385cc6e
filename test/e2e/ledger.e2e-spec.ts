import request from 'supertest';
import { ENVIRONMENT_KEY_ID } from '@app/core';
import { appOnFreshDatabase } from '../support/app-per-backend';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { withKey } from '../support/create-test-app';
import { feedWhen, typesOfSku } from '../support/event-feed';
import { ReservationApi } from '../support/reservation-api';
import { stopScheduledJobs } from '../support/scheduled-jobs';
import { forceStockLevels } from '../support/stock-levels';
import { uniqueSku } from '../support/unique';

const API = '/api/v1';

interface Movement {
  id: number;
  sku: string;
  type: string;
  availableDelta: number;
  reservedDelta: number;
  soldDelta: number;
  totalDelta: number;
  reservationId: string | null;
  reason: string | null;
  actor: string | null;
  at: string;
}

describeEachBackend('Stock ledger and events feed', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend, { inventory: { lowStockThreshold: 3 } });
  let api: ReservationApi;
  const admin = () => withKey(app.testApp.server);

  beforeAll(() => {
    stopScheduledJobs(app.testApp.app);
    api = new ReservationApi(admin());
  });

  const movementsPage = async (sku: string, query: Record<string, string | number>) =>
    (await admin().get(`${API}/admin/inventory/${sku}/movements`).query(query).expect(200)).body.data as {
      items: Movement[];
      nextCursor: string | null;
    };

  async function allMovements(sku: string, limit: number): Promise<Movement[][]> {
    const pages: Movement[][] = [];
    let cursor: string | null = null;
    do {
      const page = await movementsPage(sku, cursor === null ? { limit } : { limit, cursor });
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return pages;
  }

  it('should record every change as a movement, page them newest first and reconcile them with the counters', async () => {
    const sku = await api.createSku(10);
    const first = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data.reservationId as string;
    // Without a key (customer routes are open): no actor.
    const anonymous = new ReservationApi(request.agent(app.testApp.server));
    const second = (await anonymous.reserve({ sku, userId: 'v', quantity: 1 }).expect(201)).body.data.reservationId as string;
    await admin()
      .put(`${API}/admin/inventory/${sku}`)
      .send({ totalQuantity: 12, availableQuantity: 9, reason: 'found two in the back' })
      .expect(200);
    await api.confirm(first).expect(200);
    await anonymous.cancel(second).expect(200);

    const pages = await allMovements(sku, 2);
    expect(pages.map((page) => page.map((m) => m.type))).toEqual([
      ['cancelled', 'confirmed'],
      ['adjusted', 'reserved'],
      ['reserved', 'created'],
    ]);
    const movements = pages.flat();
    const ids = movements.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of movements) expect(new Date(m.at).toISOString()).toBe(m.at);
    expect(movements.reverse()).toEqual([
      expect.objectContaining({ type: 'created', availableDelta: 10, totalDelta: 10, reservationId: null, actor: ENVIRONMENT_KEY_ID }),
      expect.objectContaining({ type: 'reserved', availableDelta: -2, reservedDelta: 2, reservationId: first, actor: ENVIRONMENT_KEY_ID }),
      expect.objectContaining({ type: 'reserved', availableDelta: -1, reservedDelta: 1, reservationId: second, actor: null }),
      expect.objectContaining({
        type: 'adjusted',
        availableDelta: 2,
        reservedDelta: 0,
        soldDelta: 0,
        totalDelta: 2,
        reason: 'found two in the back',
        actor: ENVIRONMENT_KEY_ID,
      }),
      expect.objectContaining({ type: 'confirmed', reservedDelta: -2, soldDelta: 2, reservationId: first, actor: ENVIRONMENT_KEY_ID }),
      expect.objectContaining({ type: 'cancelled', availableDelta: 1, reservedDelta: -1, reservationId: second, actor: null }),
    ]);

    const reconciliation = (await admin().get(`${API}/admin/inventory/${sku}/reconcile`).expect(200)).body.data;
    expect(reconciliation).toEqual({
      sku,
      counters: { totalQuantity: 12, availableQuantity: 10, reservedQuantity: 0, soldQuantity: 2 },
      fromReservations: { reservedQuantity: 0, soldQuantity: 2 },
      fromLedger: { totalQuantity: 12, availableQuantity: 10, reservedQuantity: 0, soldQuantity: 2 },
      consistent: true,
    });
  });

  it('should append no movement for a change of other fields, and refuse a PUT that carries only a reason', async () => {
    const sku = await api.createSku(8);
    const before = await movementsPage(sku, { limit: 10 });
    const updated = await admin().put(`${API}/admin/inventory/${sku}`).send({ lowStockThreshold: 2, reason: 'tuning' }).expect(200);
    expect(updated.body.data).toMatchObject({ sku, lowStockThreshold: 2 });
    await admin().put(`${API}/admin/inventory/${sku}`).send({ productName: 'Renamed' }).expect(200);
    expect(await movementsPage(sku, { limit: 10 })).toEqual(before);

    const onlyReason = await admin().put(`${API}/admin/inventory/${sku}`).send({ reason: 'nothing else' }).expect(400);
    expect(onlyReason.body.errors[0].messages[0]).toContain('lowStockThreshold');
    for (const body of [{ totalQuantity: 9, reason: '   ' }, { totalQuantity: 9, reason: 'x'.repeat(501) }, { lowStockThreshold: 0 }]) {
      expect((await admin().put(`${API}/admin/inventory/${sku}`).send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    const feed = await feedWhen(admin(), (events) => typesOfSku(events, sku).filter((t) => t === 'inventory.updated').length === 2);
    const updates = feed.filter((e) => e.type === 'inventory.updated' && e.data.item.sku === sku);
    expect(updates.map((e) => e.data.movement)).toEqual([null, null]);
  });

  it('should give new SKUs the LOW_STOCK_THRESHOLD default unless they name their own or null, also in bulk', async () => {
    const [a, b, c, d] = [uniqueSku(), uniqueSku(), uniqueSku(), uniqueSku()];
    const create = (body: Record<string, unknown>) =>
      admin()
        .post(`${API}/admin/inventory`)
        .send({ productName: 'Item', totalQuantity: 5, ...body });
    expect((await create({ sku: a }).expect(201)).body.data.lowStockThreshold).toBe(3);
    expect((await create({ sku: b, lowStockThreshold: null }).expect(201)).body.data.lowStockThreshold).toBeNull();
    const bulk = await admin()
      .post(`${API}/admin/inventory/bulk`)
      .send({
        items: [
          { sku: c, productName: 'Item', totalQuantity: 5, lowStockThreshold: 7 },
          { sku: d, productName: 'Item', totalQuantity: 5 },
          { sku: uniqueSku(), productName: 'Item', totalQuantity: 5, lowStockThreshold: -1 },
        ],
      })
      .expect(201);
    expect(bulk.body.data.created.map((item: { lowStockThreshold: number | null }) => item.lowStockThreshold)).toEqual([7, 3]);
    expect(bulk.body.data.errors).toEqual([expect.objectContaining({ index: 2, code: 'VALIDATION_FAILED' })]);
    const listed = (await admin().get(`${API}/admin/inventory/all?limit=100`).expect(200)).body.data.items as {
      sku: string;
      lowStockThreshold: number | null;
    }[];
    expect(listed.find((item) => item.sku === c)?.lowStockThreshold).toBe(7);
  });

  it('should keep the history of a deleted SKU, ending with a movement that takes every counter to 0', async () => {
    const sku = await api.createSku(4);
    const hold = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data.reservationId;
    await api.confirm(hold).expect(200);
    await admin().delete(`${API}/admin/inventory/${sku}`).expect(200);
    const { items } = await movementsPage(sku, { limit: 10 });
    expect(items.map((m) => m.type)).toEqual(['deleted', 'confirmed', 'reserved', 'created']);
    expect(items[0]).toMatchObject({ availableDelta: -3, reservedDelta: 0, soldDelta: -1, totalDelta: -4, actor: ENVIRONMENT_KEY_ID });
    const feed = await feedWhen(admin(), (events) => typesOfSku(events, sku).includes('inventory.deleted'));
    const deleted = feed.find((e) => e.type === 'inventory.deleted' && e.data.item.sku === sku)!;
    expect(deleted.data).toMatchObject({ item: { sku, totalQuantity: 4, soldQuantity: 1 }, movement: { type: 'deleted', totalDelta: -4 } });
  });

  it('should refuse an unknown SKU, a malformed limit and a cursor it did not issue', async () => {
    expect((await admin().get(`${API}/admin/inventory/${uniqueSku()}/movements`).expect(404)).body.code).toBe('INVENTORY_NOT_FOUND');
    const sku = await api.createSku(1);
    for (const limit of ['0', '201', 'x']) await admin().get(`${API}/admin/inventory/${sku}/movements`).query({ limit }).expect(400);
    const foreign = Buffer.from('e:1').toString('base64url');
    expect((await admin().get(`${API}/admin/inventory/${sku}/movements`).query({ cursor: foreign }).expect(400)).body.code).toBe(
      'INVALID_CURSOR',
    );
    await admin().get(`${API}/admin/inventory/${sku}/movements`).query({ cursor: 'not/a+cursor' }).expect(400);
    expect((await admin().get(`${API}/admin/events`).query({ after: foreign }).expect(400)).body.code).toBe('INVALID_CURSOR');
    await admin().get(`${API}/admin/events`).query({ limit: 501 }).expect(400);
  });

  it('should let a pull consumer read the feed page by page from its cursor, each event once and in order', async () => {
    const sku = await api.createSku(6);
    const hold = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data.reservationId;
    await api.cancel(hold).expect(200);
    const whole = await feedWhen(admin(), (events) =>
      events.some((e) => e.type === 'reservation.cancelled' && e.data.reservation.reservationId === hold),
    );

    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const query: Record<string, string | number> = after === null ? { limit: 2 } : { limit: 2, after };
      const page = (await admin().get(`${API}/admin/events`).query(query).expect(200)).body.data;
      if (page.items.length === 0) {
        expect(page.nextCursor).toBe(after);
        break;
      }
      paged.push(...page.items.map((e: { id: string }) => e.id));
      after = page.nextCursor;
    }
    expect(paged.slice(0, whole.length)).toEqual(whole.map((e) => e.id));
    expect(new Set(paged).size).toBe(paged.length);
    expect(typesOfSku(whole, sku)).toEqual(['inventory.created']);
    const ofHold = whole.filter((e) => e.data.reservation?.reservationId === hold);
    expect(ofHold.map((e) => e.type)).toEqual(['reservation.created', 'reservation.cancelled']);
    for (const event of whole) expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
  });

  it('should report counters that drift from their ledger as inconsistent, the ledger shown beside them', async () => {
    const sku = await api.createSku(5);
    await forceStockLevels(app.testApp.app, backend, sku, { availableQuantity: 4 });
    const reconciliation = (await admin().get(`${API}/admin/inventory/${sku}/reconcile`).expect(200)).body.data;
    expect(reconciliation).toMatchObject({
      counters: { totalQuantity: 5, availableQuantity: 4, reservedQuantity: 0, soldQuantity: 0 },
      fromReservations: { reservedQuantity: 0, soldQuantity: 0 },
      fromLedger: { totalQuantity: 5, availableQuantity: 5, reservedQuantity: 0, soldQuantity: 0 },
      consistent: false,
    });
  });
});
