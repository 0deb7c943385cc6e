import { ConcurrentModificationError, NewReservation } from '@app/core';
import { Logger } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { TransactionDeadlineError } from './mongo-handle/bounded-transaction';
import { MongoReservationRepository } from './mongo-reservation.repository';

/**
 * The order and decisions of the adapter's writes, over a recording stand-in for the collections (no server):
 * what each write does on a real server is covered by the contract suites registered for MongoDB.
 */
function recordingHandle(results: Record<string, unknown[]> = {}) {
  const calls: string[] = [];
  const next = (name: string, fallback: unknown) => (results[name]?.length ? results[name].shift() : fallback);
  const collection = (name: string) =>
    new Proxy(
      {},
      {
        get: (_target, method: string) => () => {
          calls.push(`${name}.${method}`);
          const result = next(`${name}.${method}`, null);
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
    transaction: async (work: (s: unknown) => Promise<unknown>) => {
      const failure = next('transaction', null);
      if (failure instanceof Error) throw failure;
      return work(session);
    },
  } as unknown as MongoHandle;
  return { calls, repository: new MongoReservationRepository(handle) };
}

const at = new Date('2026-01-06T10:00:00.000Z');
const hold: NewReservation = {
  id: 'r-1',
  sku: 'HOT-1',
  userId: 'u',
  quantity: 2,
  clientId: 'anonymous',
  idempotencyKey: 'k',
  createdAt: at,
  expiresAt: new Date(at.getTime() + 60_000),
};
const finish = { now: at, retainUntil: new Date(at.getTime() + 3_600_000) };

describe('MongoReservationRepository decisions', () => {
  it('should insert the hold first and write the hot stock document last', async () => {
    const { calls, repository } = recordingHandle({ 'inventory.findOneAndUpdate': [{ _id: 'HOT-1', maxPerCustomer: null }] });
    expect(await repository.tryReserve(hold)).toMatchObject({ status: 'reserved', reservation: { id: 'r-1', status: 'RESERVED' } });
    expect(calls).toEqual(['reservations.insertOne', 'inventory.findOneAndUpdate']);
  });

  it("should count the customer's active holds after the stock write when a cap applies, and abort over it", async () => {
    const { calls, repository } = recordingHandle({
      'inventory.findOneAndUpdate': [{ _id: 'HOT-1', maxPerCustomer: 3 }],
      'reservations.aggregate': [[{ units: 4 }]],
      'reservations.findOne': [null],
    });
    expect(await repository.tryReserve(hold)).toEqual({ status: 'customer_limit', maxPerCustomer: 3, heldByCustomer: 2 });
    expect(calls.slice(0, 4)).toEqual([
      'reservations.insertOne',
      'inventory.findOneAndUpdate',
      'reservations.aggregate',
      'abortTransaction',
    ]);
  });

  it('should abort the transaction explicitly when the stock guard matches nothing, then report the shortage', async () => {
    const { calls, repository } = recordingHandle({
      'inventory.findOneAndUpdate': [null],
      'inventory.findOne': [{ _id: 'HOT-1', availableQuantity: 1 }],
    });
    expect(await repository.tryReserve(hold)).toEqual({ status: 'insufficient', availableQuantity: 1, dueHolds: false });
    expect(calls.slice(0, 3)).toEqual(['reservations.insertOne', 'inventory.findOneAndUpdate', 'abortTransaction']);
  });

  it('should answer 409 CONCURRENT_MODIFICATION, not a 500, when write conflicts outlive the deadline', async () => {
    const conflict = Object.assign(new Error('WriteConflict'), { code: 112, errorLabels: ['TransientTransactionError'] });
    const { repository } = recordingHandle({ transaction: [new TransactionDeadlineError(4000, conflict)] });
    await expect(repository.tryReserve(hold)).rejects.toThrow(ConcurrentModificationError);
  });

  it('should expire one SKU in one transaction: one updateMany, one $inc of the sum', async () => {
    const { calls, repository } = recordingHandle({
      'reservations.find': [
        [
          { _id: 'r-1', quantity: 2 },
          { _id: 'r-2', quantity: 3 },
        ],
      ],
      'reservations.updateMany': [{ modifiedCount: 2 }],
      'inventory.updateOne': [{ matchedCount: 1 }],
    });
    expect(await repository.expireDue(finish, 100, 'HOT-1')).toBe(2);
    expect(calls).toEqual(['reservations.find', 'reservations.updateMany', 'inventory.updateOne']);
  });

  it("should abort a SKU's expiry when not every due hold changed", async () => {
    const { calls, repository } = recordingHandle({
      'reservations.find': [
        [
          { _id: 'r-1', quantity: 2 },
          { _id: 'r-2', quantity: 3 },
        ],
      ],
      'reservations.updateMany': [{ modifiedCount: 1 }],
    });
    await expect(repository.expireDue(finish, 100, 'HOT-1')).rejects.toThrow(/Expired 1 of 2/);
    expect(calls).not.toContain('inventory.updateOne');
  });

  it('should log and skip a SKU whose expiry fails in a full sweep, and go on with the others', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { repository } = recordingHandle({
      'reservations.aggregate': [[{ _id: 'BAD-1' }, { _id: 'OK-1' }]],
      'reservations.find': [[{ _id: 'r-1', quantity: 1 }], [{ _id: 'r-2', quantity: 4 }]],
      'reservations.updateMany': [{ modifiedCount: 1 }, { modifiedCount: 1 }],
      'inventory.updateOne': [{ matchedCount: 0 }, { matchedCount: 1 }],
    });
    expect(await repository.expireDue(finish, 100)).toBe(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SKU 'BAD-1'.*skipped/));
    warn.mockRestore();
  });
});
