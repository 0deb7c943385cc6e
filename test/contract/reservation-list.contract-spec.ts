import { HoldListFilter, HoldListPosition, mergeLines, NewReservation, Reservation, ReservationRepository } from '@app/core';
import { randomUUID } from 'node:crypto';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';
import { uniqueSku } from '../support/unique';

const T0 = new Date('2026-01-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const finishAt = (seconds: number) => ({ now: at(seconds), retainUntil: at(seconds + 3600) });
const idsOf = (holds: Reservation[]) => holds.map((hold) => hold.id);
const positionOf = (hold: Reservation): HoldListPosition => ({ createdAt: hold.createdAt, id: hold.id });

describeEachSubject('ReservationRepository.listForAdmin contract', (subjectName) => {
  let subject: RepositorySubject;
  let repo: ReservationRepository;

  beforeAll(async () => {
    subject = await openSubject(subjectName);
    repo = subject.reservations;
  });
  afterAll(() => subject.close());

  const stock = async (total = 1000) => {
    const sku = uniqueSku();
    await subject.inventory.insert({ sku, productName: 'Item', totalQuantity: total, availableQuantity: total }, T0);
    return sku;
  };
  /** A RESERVED hold created `createdAt` seconds after T0, expiring 300 s later unless told otherwise. */
  const held = async (skus: string[], overrides: Partial<NewReservation> & { created?: number } = {}) => {
    const { created = 0, ...rest } = overrides;
    const result = await repo.tryReserve({
      id: randomUUID(),
      userId: 'user-1',
      items: mergeLines(skus.map((sku) => ({ sku, quantity: 1 }))),
      clientId: 'client-a',
      idempotencyKey: randomUUID(),
      createdAt: at(created),
      expiresAt: at(created + 300),
      ...rest,
    });
    if (result.status !== 'reserved') throw new Error(`expected a hold, got ${result.status}`);
    return result.reservation;
  };
  const list = (filter: Omit<HoldListFilter, 'now'> & { now?: Date }, limit = 50, after: HoldListPosition | null = null) =>
    repo.listForAdmin({ now: at(10), ...filter }, limit, after);
  /** Every page of `limit`, read on from each page's last hold, as the service does. */
  const allPages = async (filter: Omit<HoldListFilter, 'now'>, limit: number) => {
    const pages: string[][] = [];
    let after: HoldListPosition | null = null;
    for (;;) {
      const page = await list(filter, limit + 1, after);
      pages.push(idsOf(page.slice(0, limit)));
      if (page.length <= limit) return pages;
      after = positionOf(page[limit - 1]);
    }
  };

  it('should list newest first, each hold as findById shows it, at most `limit`', async () => {
    const sku = await stock();
    // Far past every other test's holds, so these are the newest of the database.
    const older = await held([sku], { created: 1_000_000 });
    const newer = await held([sku], { created: 1_000_010 });
    const page = await list({}, 2);
    expect(page).toEqual([await repo.findById(newer.id), await repo.findById(older.id)]);
    expect(idsOf(await list({}, 1))).toEqual([newer.id]);
  });

  it('should break ties of createdAt by id, descending, and page across them without loss or repeat', async () => {
    const userId = `tie-${randomUUID()}`;
    const sku = await stock();
    const holds = [];
    for (let i = 0; i < 5; i++) holds.push(await held([sku], { userId, created: 20 }));
    const newest = await held([sku], { userId, created: 21 });
    const oldest = await held([sku], { userId, created: 19 });
    const tied = idsOf(holds).sort().reverse();
    const expected = [newest.id, ...tied, oldest.id];

    expect(idsOf(await list({ userId }))).toEqual(expected);
    const pages = await allPages({ userId }, 2);
    expect(pages).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4, 6), expected.slice(6)]);
  });

  it('should filter by the status shown at now: a due RESERVED hold is EXPIRED, not RESERVED', async () => {
    const userId = `status-${randomUUID()}`;
    const sku = await stock();
    const active = await held([sku], { userId, created: 1 });
    const due = await held([sku], { userId, created: 2, expiresAt: at(5) });
    const confirmed = await held([sku], { userId, created: 3 });
    const cancelled = await held([sku], { userId, created: 4 });
    const expired = await held([sku], { userId, created: 5, expiresAt: at(8) });
    await repo.confirmIfActive(confirmed.id, finishAt(6));
    await repo.cancelIfActive(cancelled.id, finishAt(6));
    await repo.expireIfDue(expired.id, finishAt(9));

    expect(idsOf(await list({ userId, status: 'RESERVED' }))).toEqual([active.id]);
    expect(idsOf(await list({ userId, status: 'EXPIRED' }))).toEqual([expired.id, due.id]);
    expect(idsOf(await list({ userId, status: 'CONFIRMED' }))).toEqual([confirmed.id]);
    expect(idsOf(await list({ userId, status: 'CANCELLED' }))).toEqual([cancelled.id]);
    expect(idsOf(await list({ userId }))).toEqual([expired.id, cancelled.id, confirmed.id, due.id, active.id]);
    // Before the due hold's time it is still RESERVED.
    expect(idsOf(await list({ userId, status: 'RESERVED', now: at(4) }))).toEqual([due.id, active.id]);
  });

  it('should filter by a SKU of any line of the hold', async () => {
    const [a, b, c] = [await stock(), await stock(), await stock()];
    const onlyA = await held([a], { created: 1 });
    const cartAB = await held([a, b], { created: 2 });
    const onlyC = await held([c], { created: 3 });
    expect(idsOf(await list({ sku: a }))).toEqual([cartAB.id, onlyA.id]);
    expect(idsOf(await list({ sku: b }))).toEqual([cartAB.id]);
    expect(idsOf(await list({ sku: c }))).toEqual([onlyC.id]);
    expect(await list({ sku: uniqueSku('NONE') })).toEqual([]);
    // Every line of a listed cart comes with it, not only the filtered one.
    expect((await list({ sku: b }))[0].items.map((line) => line.sku)).toEqual([a, b].sort());
  });

  it('should filter by customer', async () => {
    const sku = await stock();
    const [ann, bob] = [`ann-${randomUUID()}`, `bob-${randomUUID()}`];
    const annFirst = await held([sku], { userId: ann, created: 1 });
    await held([sku], { userId: bob, created: 2 });
    const annSecond = await held([sku], { userId: ann, created: 3 });
    expect(idsOf(await list({ userId: ann }))).toEqual([annSecond.id, annFirst.id]);
    expect(await list({ userId: `nobody-${randomUUID()}` })).toEqual([]);
  });

  it('should list the RESERVED holds expiring after now and by expiringBy (inclusive), only', async () => {
    const userId = `soon-${randomUUID()}`;
    const sku = await stock();
    // now = at(10)
    const due = await held([sku], { userId, created: 1, expiresAt: at(10) });
    const soon = await held([sku], { userId, created: 2, expiresAt: at(11) });
    const edge = await held([sku], { userId, created: 3, expiresAt: at(40) });
    const later = await held([sku], { userId, created: 4, expiresAt: at(41) });
    const confirmed = await held([sku], { userId, created: 5, expiresAt: at(20) });
    await repo.confirmIfActive(confirmed.id, finishAt(6));
    expect(idsOf(await list({ userId, expiringBy: at(40) }))).toEqual([edge.id, soon.id]);
    expect(idsOf(await list({ userId, expiringBy: at(41) }))).toEqual([later.id, edge.id, soon.id]);
    expect(idsOf(await list({ userId, expiringBy: at(40), status: 'CONFIRMED' }))).toEqual([]);
    expect(idsOf(await list({ userId, status: 'EXPIRED' }))).toEqual([due.id]);
  });

  it('should combine every filter (AND) and page the result', async () => {
    const [a, b] = [await stock(), await stock()];
    const userId = `mix-${randomUUID()}`;
    const match1 = await held([a, b], { userId, created: 1, expiresAt: at(30) });
    await held([b], { userId, created: 2, expiresAt: at(30) }); // another SKU
    await held([a], { userId: `other-${randomUUID()}`, created: 3, expiresAt: at(30) }); // another customer
    await held([a], { userId, created: 4, expiresAt: at(500) }); // expires too late
    const cancelled = await held([a], { userId, created: 5, expiresAt: at(30) }); // not RESERVED
    await repo.cancelIfActive(cancelled.id, finishAt(6));
    const match2 = await held([a], { userId, created: 6, expiresAt: at(25) });
    const match3 = await held([a], { userId, created: 6, expiresAt: at(25) });

    const filter = { userId, sku: a, status: 'RESERVED' as const, expiringBy: at(60) };
    const expected = [...idsOf([match2, match3]).sort().reverse(), match1.id];
    expect(idsOf(await list(filter))).toEqual(expected);
    expect(await allPages(filter, 1)).toEqual(expected.map((id) => [id]));
  });
});
