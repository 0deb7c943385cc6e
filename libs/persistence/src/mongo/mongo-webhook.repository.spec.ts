import type { MongoHandle } from './mongo-handle/database';
import { OutboxEventDocument, WebhookDeliveryDocument, WebhookEndpointDocument } from './mongo-documents';
import { CLAIM_CANDIDATES_PER_SLOT, MongoWebhookRepository } from './mongo-webhook.repository';

/** The webhook writes over a recording stand-in (no server); results are queued per `collection.method`. */
function recordingHandle(results: Record<string, unknown[]> = {}) {
  const calls: string[] = [];
  const args: Record<string, unknown[][]> = {};
  const next = (name: string) => (results[name]?.length ? results[name].shift() : null);
  const collection = (name: string) =>
    new Proxy(
      {},
      {
        get:
          (_target, method: string) =>
          (...given: unknown[]) => {
            const call = `${name}.${method}`;
            calls.push(call);
            (args[call] ??= []).push(given);
            const result = next(call);
            if (result instanceof Error) return Promise.reject(result);
            const cursor = { sort: () => cursor, limit: () => cursor, toArray: async () => result ?? [] };
            return method === 'find' || method === 'aggregate' ? cursor : Promise.resolve(result);
          },
      },
    );
  const session = { abortTransaction: async () => void calls.push('abortTransaction') };
  const handle = {
    outbox: collection('outbox'),
    webhookEndpoints: collection('endpoints'),
    webhookDeliveries: collection('deliveries'),
    webhookAttempts: collection('attempts'),
    fanoutCursor: collection('cursor'),
    transaction: async (work: (s: unknown) => Promise<unknown>) => {
      calls.push('transaction');
      return work(session);
    },
  } as unknown as MongoHandle;
  return { calls, args, repository: new MongoWebhookRepository(handle, 0) };
}

const now = new Date('2026-01-06T10:00:00.000Z');
const lease = new Date('2026-01-06T10:00:30.000Z');
const endpoint = (id: string, events: string[]): WebhookEndpointDocument =>
  ({ _id: id, url: `https://example.com/${id}`, events, description: null, secret: 'whsec_x', createdAt: now, disabledAt: null }) as never;
const event = (id: string, type: string, ms: number): OutboxEventDocument =>
  ({ _id: id, type, orderingKey: 'sku:A-1', timestamp: now, writtenAt: new Date(now.getTime() + ms), position: ms, data: {} }) as never;
const delivery = (id: string, endpointId: string, eventId: string): WebhookDeliveryDocument =>
  ({ _id: id, endpointId, eventId, eventType: 'inventory.created', orderingKey: 'sku:A-1', attempts: 1, status: 'pending' }) as never;

describe('MongoWebhookRepository decisions', () => {
  describe('fanOut', () => {
    it('should skip the round while another instance holds the cursor lease (the upsert meets the _id: 11000)', async () => {
      const { calls, repository } = recordingHandle({ 'cursor.findOneAndUpdate': [Object.assign(new Error('E11000'), { code: 11000 })] });
      expect(await repository.fanOut(now, 10)).toBe(0);
      expect(calls).toEqual(['cursor.findOneAndUpdate']);
    });

    it('should insert one delivery per subscribed endpoint and move the cursor past the events, in one transaction', async () => {
      const { calls, args, repository } = recordingHandle({
        'cursor.findOneAndUpdate': [{ _id: 'outbox', leaseToken: 't' }],
        'outbox.find': [[event('ev-1', 'inventory.created', 1), event('ev-2', 'inventory.updated', 2)]],
        'endpoints.find': [[endpoint('e-all', ['*']), endpoint('e-created', ['inventory.created'])]],
        'cursor.updateOne': [{ matchedCount: 1 }],
      });
      expect(await repository.fanOut(now, 10)).toBe(2);
      expect(calls).toEqual([
        'cursor.findOneAndUpdate',
        'outbox.find',
        'endpoints.find',
        'transaction',
        'deliveries.insertMany',
        'cursor.updateOne',
      ]);
      const [claimFilter, claimUpdate, claimOptions] = args['cursor.findOneAndUpdate'][0] as [
        object,
        { $set: { leaseToken: string } },
        object,
      ];
      expect(claimFilter).toMatchObject({ _id: 'outbox' });
      expect(claimOptions).toMatchObject({ upsert: true });
      const deliveries = args['deliveries.insertMany'][0][0] as WebhookDeliveryDocument[];
      expect(deliveries.map((d) => [d.eventId, d.endpointId])).toEqual([
        ['ev-1', 'e-all'],
        ['ev-1', 'e-created'],
        ['ev-2', 'e-all'],
      ]);
      expect(deliveries[0]).toMatchObject({ status: 'pending', nextAttemptAt: now, orderingKey: 'sku:A-1' });
      expect(args['cursor.updateOne'][0].slice(0, 2)).toEqual([
        { _id: 'outbox', leaseToken: claimUpdate.$set.leaseToken },
        {
          $set: { afterWrittenAt: new Date(now.getTime() + 2), afterPosition: 2, afterEventId: 'ev-2', leaseToken: null, leaseUntil: null },
        },
      ]);
    });

    it('should abort, inserting nothing, when the lease was lost before the cursor moved', async () => {
      const { calls, repository } = recordingHandle({
        'cursor.findOneAndUpdate': [{ _id: 'outbox' }],
        'outbox.find': [[event('ev-1', 'inventory.created', 1)]],
        'endpoints.find': [[endpoint('e-all', ['*'])]],
        'cursor.updateOne': [{ matchedCount: 0 }],
      });
      expect(await repository.fanOut(now, 10)).toBe(0);
      expect(calls.slice(-3)).toEqual(['cursor.updateOne', 'abortTransaction', 'cursor.updateOne']);
    });

    it('should free the lease at once when there is nothing to fan out', async () => {
      const { calls, repository } = recordingHandle({ 'cursor.findOneAndUpdate': [{ _id: 'outbox' }] });
      expect(await repository.fanOut(now, 10)).toBe(0);
      expect(calls).toEqual(['cursor.findOneAndUpdate', 'outbox.find', 'cursor.updateOne']);
    });
  });

  it('should claim each candidate with its own guarded write, skip one another worker took, and number the next try', async () => {
    const { args, repository } = recordingHandle({
      'endpoints.find': [[endpoint('e-1', ['*'])]],
      'deliveries.aggregate': [[delivery('d-1', 'e-1', 'ev-1'), delivery('d-2', 'e-1', 'ev-2')]],
      'deliveries.findOneAndUpdate': [null, delivery('d-2', 'e-1', 'ev-2')],
      'outbox.find': [[event('ev-2', 'inventory.created', 1)]],
    });
    const claims = await repository.claimDue(now, lease, 5);
    expect(claims).toMatchObject([{ deliveryId: 'd-2', attempt: 2, endpoint: { id: 'e-1', secret: 'whsec_x' }, event: { id: 'ev-2' } }]);
    const [filter, update] = args['deliveries.findOneAndUpdate'][1] as [object, { $set: { leaseToken: string } }];
    expect(filter).toMatchObject({ _id: 'd-2', status: 'pending' });
    expect(update.$set.leaseToken).toBe(claims[0].token);
    expect(await recordingHandle().repository.claimDue(now, lease, 5)).toEqual([]);
  });

  it('should read several candidates per slot and stop trying once `limit` deliveries are claimed', async () => {
    const { args, calls, repository } = recordingHandle({
      'endpoints.find': [[endpoint('e-1', ['*'])]],
      'deliveries.aggregate': [[1, 2, 3, 4].map((n) => delivery(`d-${n}`, 'e-1', `ev-${n}`))],
      'deliveries.findOneAndUpdate': [null, delivery('d-2', 'e-1', 'ev-2'), delivery('d-3', 'e-1', 'ev-3')],
      'outbox.find': [[event('ev-2', 'inventory.created', 1), event('ev-3', 'inventory.created', 2)]],
    });
    expect((await repository.claimDue(now, lease, 2)).map((c) => c.deliveryId)).toEqual(['d-2', 'd-3']);
    expect(calls.filter((call) => call === 'deliveries.findOneAndUpdate')).toHaveLength(3);
    expect((args['deliveries.aggregate'][0][0] as { $limit?: number }[]).at(-1)).toEqual({ $limit: 2 * CLAIM_CANDIDATES_PER_SLOT });
  });

  describe('recordAttempt', () => {
    const claim = { deliveryId: 'd-1', token: 't-1', attempt: 2, endpoint: { id: 'e-1', url: 'u', secret: 's' }, event: {} as never };

    it('should store nothing for a worker that lost the lease', async () => {
      const { calls, repository } = recordingHandle();
      const outcome = { at: now, statusCode: 200, error: null, durationMs: 5, result: { status: 'delivered' as const } };
      expect(await repository.recordAttempt(claim, outcome)).toBe(false);
      expect(calls).toEqual(['transaction', 'deliveries.findOneAndUpdate']);
    });

    it('should append the attempt and disable the endpoint on 410 Gone', async () => {
      const { args, calls, repository } = recordingHandle({ 'deliveries.findOneAndUpdate': [delivery('d-1', 'e-1', 'ev-1')] });
      const outcome = { at: now, statusCode: 410, error: null, durationMs: 5, result: { status: 'endpoint_gone' as const } };
      expect(await repository.recordAttempt(claim, outcome)).toBe(true);
      expect(calls).toEqual(['transaction', 'deliveries.findOneAndUpdate', 'attempts.insertOne', 'endpoints.updateOne']);
      expect(args['attempts.insertOne'][0][0]).toEqual({
        deliveryId: 'd-1',
        endpointId: 'e-1',
        eventId: 'ev-1',
        eventType: 'inventory.created',
        attempt: 2,
        statusCode: 410,
        error: null,
        durationMs: 5,
        at: now,
        nextRetryAt: null,
      });
      expect(args['endpoints.updateOne'][0].slice(0, 2)).toEqual([{ _id: 'e-1', disabledAt: null }, { $set: { disabledAt: now } }]);
    });
  });

  it('should delete an endpoint with its deliveries and attempts, and nothing for an unknown one', async () => {
    const gone = recordingHandle({ 'endpoints.deleteOne': [{ deletedCount: 1 }] });
    expect(await gone.repository.delete('e-1')).toBe(true);
    expect(gone.calls).toEqual(['transaction', 'endpoints.deleteOne', 'deliveries.deleteMany', 'attempts.deleteMany']);
    const unknown = recordingHandle({ 'endpoints.deleteOne': [{ deletedCount: 0 }] });
    expect(await unknown.repository.delete('e-1')).toBe(false);
    expect(unknown.calls).toEqual(['transaction', 'endpoints.deleteOne']);
  });

  it('should count pending deliveries of enabled endpoints and events not fanned out, with the oldest of them', async () => {
    const older = new Date(now.getTime() - 60_000);
    const { repository } = recordingHandle({
      'endpoints.find': [[{ _id: 'e-1' }]],
      'deliveries.countDocuments': [2],
      'deliveries.findOne': [{ eventTimestamp: now }],
      'outbox.countDocuments': [3],
      'outbox.findOne': [{ timestamp: older }],
    });
    expect(await repository.backlog()).toEqual({ pending: 5, oldestAt: older });
    const empty = recordingHandle({ 'deliveries.countDocuments': [0], 'outbox.countDocuments': [0] });
    expect(await empty.repository.backlog()).toEqual({ pending: 0, oldestAt: null });
  });
});
