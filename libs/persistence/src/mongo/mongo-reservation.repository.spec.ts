import { ConcurrentModificationError, holdSnapshot, NewReservation, ReserveResult } from '@app/core';
import { Logger } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { TransactionDeadlineError } from './mongo-handle/bounded-transaction';
import { EXPIRY_BATCH_HOLDS, MongoReservationRepository, RESERVE_ATTEMPTS } from './mongo-reservation.repository';
import { InventoryDocument } from './mongo-documents';
import { customerUnitsPipeline, ledgerSumsPipeline, lineSumsPipeline } from './mongo-updates';

/**
 * The order and decisions of the adapter's writes, over a recording stand-in for the collections (no server):
 * what each write does on a real server is covered by the contract suites registered for MongoDB. Each call is
 * recorded as `collection.method` with its first argument (the filter, pipeline or document); results are queued per
 * `collection.method`, an Error is thrown by the call.
 */
function recordingHandle(results: Record<string, unknown[]> = {}) {
  const calls: string[] = [];
  const args: Record<string, unknown[]> = {};
  const next = (name: string, fallback: unknown) => (results[name]?.length ? results[name].shift() : fallback);
  const collection = (name: string) =>
    new Proxy(
      {},
      {
        get: (_target, method: string) => (first: unknown, second: unknown) => {
          const call = `${name}.${method}`;
          calls.push(call);
          (args[call] ??= []).push(method === 'findOneAndUpdate' || method === 'updateOne' ? [first, second] : first);
          const result = next(call, null);
          if (result instanceof Error) return Promise.reject(result);
          const cursor = { sort: () => cursor, limit: () => cursor, toArray: async () => result ?? [] };
          return method === 'find' || method === 'aggregate' ? cursor : Promise.resolve(result);
        },
      },
    );
  const session = { abortTransaction: async () => void calls.push('abortTransaction') };
  const handle = {
    inventory: collection('inventory'),
    reservations: collection('reservations'),
    movements: collection('movements'),
    outbox: collection('outbox'),
    transaction: async (work: (s: unknown) => Promise<unknown>) => {
      calls.push('transaction');
      const failure = next('transaction', null);
      if (failure instanceof Error) throw failure;
      return work(session);
    },
  } as unknown as MongoHandle;
  return { calls, args, repository: new MongoReservationRepository(handle) };
}

const at = new Date('2026-01-06T10:00:00.000Z');
const cart: NewReservation = {
  id: 'r-1',
  userId: 'u',
  items: [
    { sku: 'A-1', quantity: 2 },
    { sku: 'B-1', quantity: 1 },
    { sku: 'C-1', quantity: 4 },
  ],
  clientId: 'anonymous',
  idempotencyKey: 'k',
  createdAt: at,
  expiresAt: new Date(at.getTime() + 60_000),
};
const finish = { now: at, retainUntil: new Date(at.getTime() + 3_600_000) };
const stored = (id: string, items: { sku: string; quantity: number }[], fields: Record<string, unknown> = {}) => ({
  _id: id,
  items,
  userId: 'u',
  status: 'RESERVED',
  expiresAt: new Date(at.getTime() + 60_000),
  clientId: 'anonymous',
  idempotencyKey: `key-${id}`,
  createdAt: at,
  finishedAt: null,
  ...fields,
});
const stockTargets = (args: Record<string, unknown[]>, call = 'inventory.findOneAndUpdate') =>
  (args[call] ?? []).map((a) => (a as [{ _id: string }, { $inc: Record<string, number> }])[0]._id);
/** A SKU's document as its guarded write returns it: 10 units available after the write, ledger id `ledgerSequence`. */
const stock = (sku: string, fields: Partial<InventoryDocument> = {}): InventoryDocument => ({
  _id: sku,
  productName: 'P',
  totalQuantity: 20,
  availableQuantity: 10,
  reservedQuantity: 10,
  soldQuantity: 0,
  maxPerCustomer: null,
  lowStockThreshold: null,
  ledgerSequence: 5,
  createdAt: at,
  updatedAt: at,
  ...fields,
});
const cartStock = () => [stock('A-1'), stock('B-1'), stock('C-1')];
/** The documents a call inserted (insertMany's first argument), flattened. */
const inserted = (args: Record<string, unknown[]>, call: string) => (args[call] ?? []).flat() as Record<string, unknown>[];

describe('MongoReservationRepository decisions', () => {
  describe('tryReserve', () => {
    it("should insert the hold first, then take each line's stock in SKU byte order, nothing after it without a cap", async () => {
      const { calls, args, repository } = recordingHandle({ 'inventory.findOneAndUpdate': cartStock() });
      const result = await repository.tryReserve(cart);
      expect(result).toMatchObject({ status: 'reserved', reservation: { id: 'r-1', items: cart.items } });
      expect(calls).toEqual([
        'transaction',
        'reservations.insertOne',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'movements.insertMany',
        'outbox.insertMany',
      ]);
      expect(stockTargets(args)).toEqual(['A-1', 'B-1', 'C-1']);
      expect((args['inventory.findOneAndUpdate'][0] as unknown[])[1]).toMatchObject({
        $inc: { availableQuantity: -2, reservedQuantity: 2, ledgerSequence: 1 },
      });
      expect(args['reservations.insertOne'][0]).toMatchObject({ _id: 'r-1', items: cart.items, status: 'RESERVED' });
    });

    it('should append one reserved movement per line, with the id the stock write returned, and the hold event after them', async () => {
      const { args, repository } = recordingHandle({ 'inventory.findOneAndUpdate': cartStock() });
      const result = await repository.tryReserve({ ...cart, clientId: 'key-1' });
      const movements = inserted(args, 'movements.insertMany');
      expect(movements.map((m) => [m._id, m.type, m.availableDelta, m.reservedDelta, m.reservationId, m.actor])).toEqual([
        ['A-1:5', 'reserved', -2, 2, 'r-1', 'key-1'],
        ['B-1:5', 'reserved', -1, 1, 'r-1', 'key-1'],
        ['C-1:5', 'reserved', -4, 4, 'r-1', 'key-1'],
      ]);
      const events = inserted(args, 'outbox.insertMany');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'reservation.created',
        orderingKey: 'reservation:r-1',
        timestamp: at,
        data: { reservation: holdSnapshot((result as Extract<ReserveResult, { status: 'reserved' }>).reservation) },
      });
      expect((events[0].data as { movements: { id: number }[] }).movements.map((m) => m.id)).toEqual([5, 5, 5]);
      // An anonymous caller is no actor.
      const anonymous = recordingHandle({ 'inventory.findOneAndUpdate': cartStock() });
      await anonymous.repository.tryReserve(cart);
      expect(inserted(anonymous.args, 'movements.insertMany').map((m) => m.actor)).toEqual([null, null, null]);
    });

    it('should write the threshold crossings of each SKU after the hold event, in SKU order', async () => {
      const { args, repository } = recordingHandle({
        'inventory.findOneAndUpdate': [
          stock('A-1', { availableQuantity: 0, lowStockThreshold: 5 }), // 2 -> 0: low stock, out of stock
          stock('B-1'),
          stock('C-1', { availableQuantity: 3, lowStockThreshold: 5 }), // 7 -> 3: low stock
        ],
      });
      await repository.tryReserve(cart);
      expect(inserted(args, 'outbox.insertMany').map((e) => [e.type, e.orderingKey])).toEqual([
        ['reservation.created', 'reservation:r-1'],
        ['inventory.out_of_stock', 'sku:A-1'],
        ['inventory.low_stock', 'sku:C-1'],
      ]);
    });

    it('should abort at the first short line, touch no later SKU, then report every short line from one read', async () => {
      const { calls, args, repository } = recordingHandle({
        'inventory.findOneAndUpdate': [stock('A-1'), null],
        'inventory.find': [
          [
            { _id: 'A-1', availableQuantity: 5 },
            { _id: 'B-1', availableQuantity: 0 },
            { _id: 'C-1', availableQuantity: 3 },
          ],
        ],
        'reservations.findOne': [null, { _id: 'due-1' }],
      });
      expect(await repository.tryReserve(cart)).toEqual({
        status: 'insufficient',
        shortages: [
          { sku: 'B-1', requested: 1, available: 0 },
          { sku: 'C-1', requested: 4, available: 3 },
        ],
        dueHolds: true,
      });
      expect(calls).toEqual([
        'transaction',
        'reservations.insertOne',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'abortTransaction',
        'reservations.findOne',
        'inventory.find',
        'reservations.findOne',
      ]);
      expect(args['inventory.find']).toEqual([{ _id: { $in: ['A-1', 'B-1', 'C-1'] } }]);
      expect(args['reservations.findOne'][1]).toEqual({
        status: 'RESERVED',
        expiresAt: { $lte: at },
        'items.sku': { $in: ['B-1', 'C-1'] },
      });
    });

    it('should name every missing SKU of the cart, and nothing else', async () => {
      const { repository } = recordingHandle({
        'inventory.findOneAndUpdate': [null],
        'inventory.find': [[{ _id: 'B-1', availableQuantity: 9 }]],
      });
      expect(await repository.tryReserve(cart)).toEqual({ status: 'sku_not_found', missing: ['A-1', 'C-1'] });
    });

    it('should try the cart again when its stock was freed between the abort and the read, and say so after the last try', async () => {
      const fits = [
        { _id: 'A-1', availableQuantity: 5 },
        { _id: 'B-1', availableQuantity: 1 },
        { _id: 'C-1', availableQuantity: 4 },
      ];
      const again = recordingHandle({ 'inventory.findOneAndUpdate': [stock('A-1'), null, ...cartStock()], 'inventory.find': [fits] });
      expect(await again.repository.tryReserve(cart)).toMatchObject({ status: 'reserved' });
      expect(again.calls.filter((call) => call === 'transaction')).toHaveLength(2);
      const churning = recordingHandle({
        'inventory.findOneAndUpdate': [null, null, null],
        'inventory.find': [fits, fits, fits],
      });
      expect(await churning.repository.tryReserve(cart)).toEqual({ status: 'insufficient', shortages: [], dueHolds: false });
      expect(churning.calls.filter((call) => call === 'transaction')).toHaveLength(RESERVE_ATTEMPTS);
    });

    it("should check caps after every line's stock, with one aggregation for all capped lines, and abort over a cap", async () => {
      const { calls, args, repository } = recordingHandle({
        'inventory.findOneAndUpdate': [stock('A-1', { maxPerCustomer: 10 }), stock('B-1'), stock('C-1', { maxPerCustomer: 5 })],
        'reservations.aggregate': [
          [
            { _id: 'A-1', units: 8 },
            { _id: 'C-1', units: 2 },
          ],
        ],
      });
      expect(await repository.tryReserve(cart)).toEqual({ status: 'customer_limit', sku: 'C-1', maxPerCustomer: 5, heldByCustomer: 2 });
      expect(calls.slice(0, 7)).toEqual([
        'transaction',
        'reservations.insertOne',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'reservations.aggregate',
        'abortTransaction',
      ]);
      expect(args['reservations.aggregate']).toEqual([customerUnitsPipeline(cart, ['A-1', 'C-1'])]);
    });

    it('should apply the default cap to lines whose SKU has none, and name the first line over it in SKU order', async () => {
      const { args, repository } = recordingHandle({
        'inventory.findOneAndUpdate': [stock('A-1'), stock('B-1', { maxPerCustomer: 1 }), stock('C-1')],
        'reservations.aggregate': [[{ _id: 'A-1', units: 2 }]],
      });
      expect(await repository.tryReserve(cart, 3)).toEqual({ status: 'customer_limit', sku: 'A-1', maxPerCustomer: 3, heldByCustomer: 2 });
      expect(args['reservations.aggregate']).toEqual([customerUnitsPipeline(cart, ['A-1', 'B-1', 'C-1'])]);
    });

    it('should hold a capped cart that stays within every cap', async () => {
      const { calls, repository } = recordingHandle({
        'inventory.findOneAndUpdate': [stock('A-1', { maxPerCustomer: 2 }), stock('B-1'), stock('C-1')],
        'reservations.aggregate': [[]],
      });
      expect(await repository.tryReserve(cart)).toMatchObject({ status: 'reserved' });
      expect(calls.slice(-3)).toEqual(['reservations.aggregate', 'movements.insertMany', 'outbox.insertMany']);
    });

    it('should report a reused key (11000 on the insert) as duplicate_key, with no stock touched', async () => {
      const duplicate = Object.assign(new Error('E11000'), { code: 11000 });
      const { calls, repository } = recordingHandle({
        'reservations.insertOne': [duplicate],
        'reservations.findOne': [stored('r-0', [{ sku: 'A-1', quantity: 2 }])],
      });
      expect(await repository.tryReserve(cart)).toMatchObject({ status: 'duplicate_key', existing: { id: 'r-0' } });
      expect(calls).not.toContain('inventory.findOneAndUpdate');
    });

    it('should answer 409 CONCURRENT_MODIFICATION naming the SKUs, not a 500, when write conflicts outlive the deadline', async () => {
      const conflict = Object.assign(new Error('WriteConflict'), { code: 112, errorLabels: ['TransientTransactionError'] });
      const { repository } = recordingHandle({ transaction: [new TransactionDeadlineError(4000, conflict)] });
      const refusal = repository.tryReserve(cart);
      await expect(refusal).rejects.toThrow(ConcurrentModificationError);
      await expect(refusal).rejects.toMatchObject({ details: { skus: ['A-1', 'B-1', 'C-1'] } });
    });
  });

  describe('transitions', () => {
    it("should write the hold first, then move every line's stock in SKU byte order, in one transaction", async () => {
      const { calls, args, repository } = recordingHandle({
        'reservations.findOneAndUpdate': [stored('r-1', cart.items, { status: 'CONFIRMED', finishedAt: at })],
        'inventory.findOneAndUpdate': cartStock(),
      });
      expect(await repository.confirmIfActive('r-1', finish, { actor: 'key-1' })).toMatchObject({ status: 'CONFIRMED', items: cart.items });
      expect(calls).toEqual([
        'transaction',
        'reservations.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'movements.insertMany',
        'outbox.insertMany',
      ]);
      expect(stockTargets(args)).toEqual(['A-1', 'B-1', 'C-1']);
      expect((args['inventory.findOneAndUpdate'][2] as unknown[])[1]).toMatchObject({
        $inc: { reservedQuantity: -4, soldQuantity: 4, ledgerSequence: 1 },
      });
      expect(inserted(args, 'movements.insertMany').map((m) => [m.sku, m.type, m.reservedDelta, m.soldDelta, m.actor])).toEqual([
        ['A-1', 'confirmed', -2, 2, 'key-1'],
        ['B-1', 'confirmed', -1, 1, 'key-1'],
        ['C-1', 'confirmed', -4, 4, 'key-1'],
      ]);
      expect(inserted(args, 'outbox.insertMany').map((e) => e.type)).toEqual(['reservation.confirmed']);
    });

    it('should tell a cancellation and an expiry by their own movement and event types, expiry with no actor', async () => {
      for (const [run, movement, event] of [
        ['cancel', 'cancelled', 'reservation.cancelled'],
        ['expire', 'expired', 'reservation.expired'],
      ] as const) {
        const { args, repository } = recordingHandle({
          'reservations.findOneAndUpdate': [stored('r-1', [{ sku: 'A-1', quantity: 2 }], { status: 'CANCELLED', finishedAt: at })],
          'inventory.findOneAndUpdate': [stock('A-1')],
        });
        await (run === 'cancel' ? repository.cancelIfActive('r-1', finish, { actor: 'key-1' }) : repository.expireIfDue('r-1', finish));
        expect(inserted(args, 'movements.insertMany')).toMatchObject([
          { type: movement, availableDelta: 2, reservedDelta: -2, actor: run === 'cancel' ? 'key-1' : null },
        ]);
        expect(inserted(args, 'outbox.insertMany').map((e) => e.type)).toEqual([event]);
      }
    });

    it('should move the stock of a hold written before carts from its single SKU', async () => {
      const { sku, quantity, ...legacy } = { ...stored('r-1', []), sku: 'OLD-1', quantity: 3 };
      const { args, repository } = recordingHandle({
        'reservations.findOneAndUpdate': [{ ...legacy, items: undefined, sku, quantity, status: 'CANCELLED', finishedAt: at }],
        'inventory.findOneAndUpdate': [stock('OLD-1')],
      });
      expect(await repository.cancelIfActive('r-1', finish)).toMatchObject({ status: 'CANCELLED', items: [{ sku: 'OLD-1', quantity: 3 }] });
      expect(args['inventory.findOneAndUpdate']).toEqual([
        [
          { _id: 'OLD-1', reservedQuantity: { $gte: 3 } },
          { $inc: { reservedQuantity: -3, availableQuantity: 3, ledgerSequence: 1 }, $set: { updatedAt: at } },
        ],
      ]);
    });

    it("should abort when a line's stock does not hold its units, and move nothing for a hold not in that state", async () => {
      const broken = recordingHandle({
        'reservations.findOneAndUpdate': [stored('r-1', cart.items, { status: 'EXPIRED', finishedAt: at })],
        'inventory.findOneAndUpdate': [stock('A-1'), null],
      });
      await expect(broken.repository.expireIfDue('r-1', finish)).rejects.toThrow(/Stock of 'B-1' does not hold/);
      expect(broken.calls.filter((call) => call === 'inventory.findOneAndUpdate')).toHaveLength(2);
      expect(broken.calls).not.toContain('movements.insertMany');
      const finished = recordingHandle();
      expect(await finished.repository.confirmIfActive('r-1', finish)).toBeNull();
      expect(finished.calls).toEqual(['transaction', 'reservations.findOneAndUpdate']);
    });
  });

  describe('expireDue', () => {
    const due = (n: number) => Array.from({ length: n }, (_, i) => ({ _id: `r-${i}` }));

    it('should expire due holds together: one read, one updateMany, one $inc per SKU of all their lines', async () => {
      const { calls, args, repository } = recordingHandle({
        'reservations.find': [
          due(2),
          [
            stored('r-0', [
              { sku: 'B-1', quantity: 2 },
              { sku: 'C-1', quantity: 1 },
            ]),
            stored('r-1', [
              { sku: 'A-1', quantity: 3 },
              { sku: 'B-1', quantity: 5 },
            ]),
          ],
        ],
        'reservations.updateMany': [{ modifiedCount: 2 }],
        // B-1 returns both holds' units in one write: its ledger sequence went from 3 to 5.
        'inventory.findOneAndUpdate': [stock('A-1'), stock('B-1', { availableQuantity: 7, reservedQuantity: 0 }), stock('C-1')],
      });
      expect(await repository.expireDue(finish, 100, ['B-1'])).toBe(2);
      expect(calls).toEqual([
        'reservations.find',
        'transaction',
        'reservations.find',
        'reservations.updateMany',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'movements.insertMany',
        'outbox.insertMany',
      ]);
      // One movement per hold and SKU, ids in hold order, each with its counters; then each hold's event and crossings.
      expect(inserted(args, 'movements.insertMany').map((m) => [m._id, m.reservationId, m.availableDelta])).toEqual([
        ['B-1:4', 'r-0', 2],
        ['C-1:5', 'r-0', 1],
        ['A-1:5', 'r-1', 3],
        ['B-1:5', 'r-1', 5],
      ]);
      expect(inserted(args, 'outbox.insertMany').map((e) => [e.type, e.orderingKey])).toEqual([
        ['reservation.expired', 'reservation:r-0'],
        ['inventory.back_in_stock', 'sku:B-1'],
        ['reservation.expired', 'reservation:r-1'],
      ]);
      expect(inserted(args, 'outbox.insertMany')[0].data).toMatchObject({
        reservation: { status: 'EXPIRED', finishedAt: at.toISOString() },
      });
      expect(args['reservations.find'][0]).toEqual({ status: 'RESERVED', expiresAt: { $lte: at }, 'items.sku': { $in: ['B-1'] } });
      expect(args['reservations.find'][1]).toEqual({ _id: { $in: ['r-0', 'r-1'] }, status: 'RESERVED', expiresAt: { $lte: at } });
      expect(stockTargets(args)).toEqual(['A-1', 'B-1', 'C-1']);
      expect((args['inventory.findOneAndUpdate'][1] as unknown[])[1]).toMatchObject({
        $inc: { reservedQuantity: -7, availableQuantity: 7, ledgerSequence: 2 },
      });
    });

    it(`should expire at most ${EXPIRY_BATCH_HOLDS} holds per transaction`, async () => {
      const batch = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) => stored(`r-${from + i}`, [{ sku: 'A-1', quantity: 1 }]));
      const { calls, args, repository } = recordingHandle({
        'reservations.find': [due(45), batch(0, 20), batch(20, 20), batch(40, 5)],
        'reservations.updateMany': [{ modifiedCount: 20 }, { modifiedCount: 20 }, { modifiedCount: 5 }],
        'inventory.findOneAndUpdate': [
          stock('A-1', { ledgerSequence: 20 }),
          stock('A-1', { ledgerSequence: 40 }),
          stock('A-1', { ledgerSequence: 45 }),
        ],
      });
      expect(await repository.expireDue(finish, 45)).toBe(45);
      expect(calls.filter((call) => call === 'transaction')).toHaveLength(3);
      expect(args['reservations.find'].slice(1).map((filter) => (filter as { _id: { $in: string[] } })._id.$in.length)).toEqual([
        20, 20, 5,
      ]);
    });

    it('should retry a failed batch hold by hold, log and skip the hold that fails, and expire the others', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const good = stored('r-0', [{ sku: 'A-1', quantity: 1 }], { status: 'EXPIRED', finishedAt: at });
      const bad = stored('r-1', [{ sku: 'BAD-1', quantity: 2 }], { status: 'EXPIRED', finishedAt: at });
      const { calls, repository } = recordingHandle({
        'reservations.find': [due(2), [good, bad]],
        'reservations.updateMany': [{ modifiedCount: 2 }],
        // The batch: A-1 moves, BAD-1 does not (aborted); then r-0 alone moves, r-1 alone does not.
        'inventory.findOneAndUpdate': [stock('A-1'), null, stock('A-1'), null],
        'reservations.findOneAndUpdate': [good, bad],
      });
      expect(await repository.expireDue(finish, 100)).toBe(1);
      expect(calls.filter((call) => call === 'transaction')).toHaveLength(3);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/reservation 'r-1'.*skipped/));
      warn.mockRestore();
    });

    it('should count only the holds a concurrent sweep left due, and stop the sweep when the database is unreachable', async () => {
      const { repository } = recordingHandle({
        'reservations.find': [due(3), [stored('r-2', [{ sku: 'A-1', quantity: 1 }])]],
        'reservations.updateMany': [{ modifiedCount: 1 }],
        'inventory.findOneAndUpdate': [stock('A-1')],
      });
      expect(await repository.expireDue(finish, 100)).toBe(1);
      const unreachable = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });
      const down = recordingHandle({ 'reservations.find': [due(2)], transaction: [unreachable] });
      await expect(down.repository.expireDue(finish, 100)).rejects.toThrow('ECONNREFUSED');
    });
  });

  describe('extendIfActive', () => {
    it('should extend with one guarded statement on the hold and its event, in one transaction, no stock, no movement', async () => {
      const { calls, args, repository } = recordingHandle({ 'reservations.findOneAndUpdate': [stored('r-1', cart.items)] });
      expect(await repository.extendIfActive('r-1', 300, 3600, at)).toMatchObject({ id: 'r-1' });
      expect(calls).toEqual(['transaction', 'reservations.findOneAndUpdate', 'outbox.insertMany']);
      expect(inserted(args, 'outbox.insertMany')).toMatchObject([{ type: 'reservation.extended', data: { movements: [] } }]);
      expect((args['reservations.findOneAndUpdate'][0] as unknown[])[1]).toEqual([
        { $set: { expiresAt: { $add: ['$expiresAt', 300_000] } } },
      ]);
      expect(await recordingHandle().repository.extendIfActive('r-1', 300, 3600, at)).toBeNull();
    });
  });

  describe('releaseIfActive', () => {
    const active = stored('r-1', cart.items);

    it('should shrink the lines with a guard on those read, then return only the released units', async () => {
      const { calls, args, repository } = recordingHandle({
        'reservations.findOne': [active],
        'reservations.findOneAndUpdate': [
          stored('r-1', [
            { sku: 'A-1', quantity: 1 },
            { sku: 'C-1', quantity: 4 },
          ]),
        ],
        'inventory.findOneAndUpdate': [stock('A-1'), stock('B-1')],
      });
      const released = [
        { sku: 'A-1', quantity: 1 },
        { sku: 'B-1', quantity: 1 },
      ];
      expect(await repository.releaseIfActive('r-1', released, finish)).toMatchObject({
        status: 'released',
        reservation: {
          status: 'RESERVED',
          items: [
            { sku: 'A-1', quantity: 1 },
            { sku: 'C-1', quantity: 4 },
          ],
        },
      });
      expect(calls).toEqual([
        'transaction',
        'reservations.findOne',
        'reservations.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'inventory.findOneAndUpdate',
        'movements.insertMany',
        'outbox.insertMany',
      ]);
      expect(inserted(args, 'movements.insertMany').map((m) => [m.sku, m.type, m.availableDelta])).toEqual([
        ['A-1', 'released', 1],
        ['B-1', 'released', 1],
      ]);
      expect(inserted(args, 'outbox.insertMany').map((e) => e.type)).toEqual(['reservation.released']);
      const [filter, update] = args['reservations.findOneAndUpdate'][0] as [Record<string, unknown>, Record<string, unknown>];
      expect(filter).toMatchObject({ _id: 'r-1', status: 'RESERVED', items: cart.items });
      expect(update).toEqual({
        $set: {
          items: [
            { sku: 'A-1', quantity: 1 },
            { sku: 'C-1', quantity: 4 },
          ],
        },
        $unset: { sku: '', quantity: '' },
      });
      expect(stockTargets(args)).toEqual(['A-1', 'B-1']);
    });

    it('should cancel the hold, lines kept, and return every unit when everything left is released', async () => {
      const { args, repository } = recordingHandle({
        'reservations.findOne': [active],
        'reservations.findOneAndUpdate': [stored('r-1', cart.items, { status: 'CANCELLED', finishedAt: at })],
        'inventory.findOneAndUpdate': cartStock(),
      });
      expect(await repository.releaseIfActive('r-1', cart.items, finish)).toMatchObject({
        status: 'released',
        reservation: { status: 'CANCELLED', items: cart.items },
      });
      expect((args['reservations.findOneAndUpdate'][0] as unknown[])[1]).toMatchObject({ $set: { status: 'CANCELLED' } });
      expect(stockTargets(args)).toEqual(['A-1', 'B-1', 'C-1']);
      expect(inserted(args, 'movements.insertMany').map((m) => m.type)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      expect(inserted(args, 'outbox.insertMany').map((e) => e.type)).toEqual(['reservation.cancelled']);
    });

    it('should move nothing for a line larger than the hold holds, nor for a hold that is due, finished or missing', async () => {
      const over = recordingHandle({ 'reservations.findOne': [active] });
      expect(await over.repository.releaseIfActive('r-1', [{ sku: 'C-1', quantity: 5 }], finish)).toEqual({
        status: 'exceeds',
        sku: 'C-1',
        held: 4,
        requested: 5,
      });
      expect(over.calls).toEqual(['transaction', 'reservations.findOne']);
      for (const hold of [
        stored('r-1', cart.items, { expiresAt: at }),
        stored('r-1', cart.items, { status: 'CONFIRMED', finishedAt: at }),
        null,
      ]) {
        const { calls, repository } = recordingHandle({ 'reservations.findOne': [hold] });
        expect(await repository.releaseIfActive('r-1', [{ sku: 'A-1', quantity: 1 }], finish)).toEqual({ status: 'not_active' });
        expect(calls).toEqual(['transaction', 'reservations.findOne']);
      }
    });
  });

  it('should reconcile a SKU from its counters, the sums of its lines and of its movements, in one transaction', async () => {
    const { args, repository } = recordingHandle({
      'inventory.findOne': [{ _id: 'A-1', totalQuantity: 10, availableQuantity: 4, reservedQuantity: 3, soldQuantity: 3 }],
      'reservations.aggregate': [
        [
          { _id: 'RESERVED', quantity: 3 },
          { _id: 'CONFIRMED', quantity: 3 },
        ],
      ],
      'movements.aggregate': [[{ totalQuantity: 10, availableQuantity: 4, reservedQuantity: 3, soldQuantity: 2 }]],
    });
    expect(await repository.reconcile('A-1')).toMatchObject({
      sku: 'A-1',
      heldByActiveReservations: 3,
      soldByConfirmedReservations: 3,
      ledger: { totalQuantity: 10, availableQuantity: 4, reservedQuantity: 3, soldQuantity: 2 },
    });
    expect(args['reservations.aggregate']).toEqual([lineSumsPipeline('A-1')]);
    expect(args['movements.aggregate']).toEqual([ledgerSumsPipeline('A-1')]);
    // A SKU with no movement at all (none written yet) has a ledger of zeros.
    const empty = recordingHandle({
      'inventory.findOne': [{ _id: 'A-1', totalQuantity: 0, availableQuantity: 0, reservedQuantity: 0, soldQuantity: 0 }],
    });
    expect(await empty.repository.reconcile('A-1')).toMatchObject({
      ledger: { totalQuantity: 0, availableQuantity: 0, reservedQuantity: 0, soldQuantity: 0 },
    });
  });
});
