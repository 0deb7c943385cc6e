import request from 'supertest';
import { appOnFreshDatabase } from '../support/app-per-backend';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { withKey } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { stopScheduledJobs } from '../support/scheduled-jobs';

const API = '/api/v1';
const LIST = `${API}/admin/reservations`;

interface HoldView {
  reservationId: string;
  userId: string;
  items: { sku: string; quantity: number }[];
  status: string;
  secondsLeft: number | null;
  createdAt: string;
}

describeEachBackend('GET /admin/reservations', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend);
  const admin = () => withKey(app.testApp.server);
  let api: ReservationApi;

  beforeAll(() => {
    stopScheduledJobs(app.testApp.app);
    api = new ReservationApi(admin());
  });

  const list = async (query: Record<string, string | number>) =>
    (await admin().get(LIST).query(query).expect(200)).body.data as { items: HoldView[]; nextCursor: string | null };

  const holdOf = async (userId: string, items: { sku: string; quantity: number }[], ttlSeconds?: number) =>
    (await api.hold({ userId, items, ...(ttlSeconds ? { ttlSeconds } : {}) }).expect(201)).body.data as HoldView;

  it('should list holds newest first with their lines and seconds left, filtered and paged', async () => {
    const [a, b] = [await api.createSku(50), await api.createSku(50)];
    const user = `user-${a}`;
    const first = await holdOf(user, [{ sku: a, quantity: 1 }], 120);
    const second = await holdOf(user, [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 1 },
    ]);
    const third = await holdOf(user, [{ sku: b, quantity: 3 }]);
    await api.confirm(third.reservationId).expect(200);

    const all = await list({ userId: user });
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((h) => h.reservationId)).toEqual([third.reservationId, second.reservationId, first.reservationId]);
    expect(all.items[0]).toMatchObject({ status: 'CONFIRMED', secondsLeft: null, items: [{ sku: b, quantity: 3 }] });
    expect(all.items[1]).toMatchObject({
      status: 'RESERVED',
      userId: user,
      items: [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ].sort((x, y) => (x.sku < y.sku ? -1 : 1)),
    });
    expect(all.items[2].secondsLeft).toBeGreaterThan(100);
    expect(all.items[2].secondsLeft).toBeLessThanOrEqual(120);
    // The same view as GET /reservations/:id, but secondsLeft.
    const single = (await api.get(second.reservationId).expect(200)).body.data as HoldView;
    expect({ ...all.items[1], secondsLeft: 0 }).toEqual({ ...single, secondsLeft: 0 });

    expect((await list({ userId: user, sku: a })).items.map((h) => h.reservationId)).toEqual([second.reservationId, first.reservationId]);
    expect((await list({ userId: user, status: 'CONFIRMED' })).items.map((h) => h.reservationId)).toEqual([third.reservationId]);
    expect((await list({ userId: user, expiringWithinSeconds: 150 })).items.map((h) => h.reservationId)).toEqual([first.reservationId]);

    const page1 = await list({ userId: user, limit: 2 });
    expect(page1.items.map((h) => h.reservationId)).toEqual([third.reservationId, second.reservationId]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await list({ userId: user, limit: 2, cursor: page1.nextCursor! });
    expect(page2).toEqual({ items: [expect.objectContaining({ reservationId: first.reservationId })], nextCursor: null });
  });

  it('should list a hold past its time as EXPIRED, with null seconds left, before the sweep', async () => {
    const sku = await api.createSku(5);
    const user = `late-${sku}`;
    const hold = await holdOf(user, [{ sku, quantity: 1 }], 1);
    const clock = shiftClock(app.testApp.app, 5);
    try {
      expect((await list({ userId: user, status: 'EXPIRED' })).items).toEqual([
        expect.objectContaining({ reservationId: hold.reservationId, status: 'EXPIRED', secondsLeft: null }),
      ]);
      expect((await list({ userId: user, status: 'RESERVED' })).items).toEqual([]);
    } finally {
      clock.mockRestore();
    }
  });

  it.each([
    ['an unknown status', { status: 'PENDING' }, 'VALIDATION_FAILED', 'status'],
    ['a lower-case status', { status: 'reserved' }, 'VALIDATION_FAILED', 'status'],
    ['limit 0', { limit: 0 }, 'VALIDATION_FAILED', 'limit'],
    ['limit 201', { limit: 201 }, 'VALIDATION_FAILED', 'limit'],
    ['a limit that is not a number', { limit: 'ten' }, 'VALIDATION_FAILED', 'limit'],
    ['expiringWithinSeconds 0', { expiringWithinSeconds: 0 }, 'VALIDATION_FAILED', 'expiringWithinSeconds'],
    ['a fractional expiringWithinSeconds', { expiringWithinSeconds: 1.5 }, 'VALIDATION_FAILED', 'expiringWithinSeconds'],
    ['a malformed sku', { sku: '-x' }, 'VALIDATION_FAILED', 'sku'],
    ['a malformed cursor', { cursor: 'not a cursor!' }, 'VALIDATION_FAILED', 'cursor'],
  ])('should answer 400 for %s', async (_case, query, code, field) => {
    const { body } = await admin().get(LIST).query(query).expect(400);
    expect(body).toMatchObject({ success: false, code, errors: [expect.objectContaining({ field })] });
  });

  it('should answer 400 INVALID_CURSOR for a well-formed cursor it did not issue', async () => {
    const forged = Buffer.from('m:12').toString('base64url');
    const { body } = await admin().get(LIST).query({ cursor: forged }).expect(400);
    expect(body).toMatchObject({ success: false, code: 'INVALID_CURSOR' });
  });

  it('should need a key (401) with inventory:read (403)', async () => {
    const anonymous = await request(app.testApp.server).get(LIST).expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    const writer = (
      await admin()
        .post(`${API}/admin/api-keys`)
        .send({ name: 'writer', scopes: ['inventory:write'] })
        .expect(201)
    ).body.data.key as string;
    const denied = await request(app.testApp.server).get(LIST).set('Authorization', `Bearer ${writer}`).expect(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', details: { requiredScope: 'inventory:read' } });
    const reader = (
      await admin()
        .post(`${API}/admin/api-keys`)
        .send({ name: 'reader', scopes: ['inventory:read'] })
        .expect(201)
    ).body.data.key as string;
    await request(app.testApp.server).get(LIST).set('Authorization', `Bearer ${reader}`).expect(200);
  });
});
