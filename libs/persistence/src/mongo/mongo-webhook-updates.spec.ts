import {
  advanceFanoutCursor,
  claimDelivery,
  claimFanoutCursor,
  fanoutPosition,
  finishedDeliveriesBeforePipeline,
  firstDueOfKeysPipeline,
  purgeableEventsPipeline,
  recordDeliveryAttempt,
} from './mongo-webhook-updates';

const now = new Date('2026-01-06T10:00:00.000Z');
const lease = new Date('2026-01-06T10:00:30.000Z');
const leaseFree = { $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
const outcome = { at: now, statusCode: 500, error: null, durationMs: 12 };
const claim = { deliveryId: 'd-1', token: 't-1', attempt: 2 };

describe('mongo webhook writes', () => {
  it('should lease the fan-out cursor only while its lease is free or lapsed', () => {
    expect(claimFanoutCursor('t-1', now, lease)).toEqual({
      filter: { _id: 'outbox', ...leaseFree },
      update: { $set: { leaseToken: 't-1', leaseUntil: lease } },
    });
  });

  it('should advance the cursor and free its lease only for the lease holder', () => {
    const id = '0b6b9c5e-9a43-4c43-9a4e-0c2f0e7f8a11';
    expect(advanceFanoutCursor('t-1', { at: now, position: 4, id })).toEqual({
      filter: { _id: 'outbox', leaseToken: 't-1' },
      update: { $set: { afterWrittenAt: now, afterPosition: 4, afterEventId: id, leaseToken: null, leaseUntil: null } },
    });
    expect(advanceFanoutCursor('t-1', null).update).toEqual({ $set: { leaseToken: null, leaseUntil: null } });
    expect(fanoutPosition({ _id: 'outbox', afterWrittenAt: now, afterPosition: 4, afterEventId: id })).toEqual({
      at: now,
      position: 4,
      id,
    });
    expect(fanoutPosition({ _id: 'outbox', leaseToken: 't' })).toBeNull();
    expect(fanoutPosition(null)).toBeNull();
  });

  it('should take the oldest pending delivery of each (endpoint, key) before filtering on due and lease', () => {
    const pipeline = firstDueOfKeysPipeline(['e-1'], now, 5);
    expect(pipeline[0]).toEqual({ $match: { status: 'pending', endpointId: { $in: ['e-1'] } } });
    expect(pipeline.findIndex((stage) => '$group' in stage)).toBeLessThan(
      pipeline.findIndex((stage) => '$match' in stage && 'nextAttemptAt' in (stage.$match as object)),
    );
    expect(pipeline.slice(-3)).toEqual([
      { $match: { nextAttemptAt: { $lte: now }, ...leaseFree } },
      { $sort: { eventWrittenAt: 1, eventPosition: 1, eventId: 1 } },
      { $limit: 5 },
    ]);
  });

  it('should claim a delivery only while pending, due and unleased', () => {
    expect(claimDelivery('d-1', 't-1', now, lease)).toEqual({
      filter: { _id: 'd-1', status: 'pending', nextAttemptAt: { $lte: now }, ...leaseFree },
      update: { $set: { leaseToken: 't-1', leaseUntil: lease } },
    });
  });

  it.each([
    [{ status: 'delivered' } as const, { status: 'delivered', deliveredAt: now }],
    [{ status: 'retry', nextAttemptAt: lease } as const, { nextAttemptAt: lease }],
    [{ status: 'failed' } as const, { status: 'failed' }],
    [{ status: 'endpoint_gone' } as const, { status: 'failed' }],
  ])('should record %j for the lease holder only, freeing the lease', (result, set) => {
    expect(recordDeliveryAttempt(claim, { ...outcome, result })).toEqual({
      filter: { _id: 'd-1', status: 'pending', leaseToken: 't-1' },
      update: { $set: { attempts: 2, leaseToken: null, leaseUntil: null, ...set } },
    });
  });

  it('should pick, for retention, finished deliveries made before the cutoff and not tried since, oldest first', () => {
    expect(finishedDeliveriesBeforePipeline(now, 5)).toEqual([
      { $match: { status: { $in: ['delivered', 'failed'] }, createdAt: { $lt: now } } },
      { $sort: { createdAt: 1 } },
      {
        $lookup: {
          from: 'webhook_attempts',
          localField: '_id',
          foreignField: 'deliveryId',
          pipeline: [{ $match: { at: { $gte: now } } }, { $limit: 1 }, { $project: { _id: 1 } }],
          as: 'triedSince',
        },
      },
      { $match: { triedSince: { $size: 0 } } },
      { $limit: 5 },
      { $project: { _id: 1 } },
    ]);
  });

  it('should pick, for retention, only events at or before the fan-out cursor that no pending delivery references', () => {
    const id = '0b6b9c5e-9a43-4c43-9a4e-0c2f0e7f8a11';
    const [match, , lookup, unreferenced, limit] = purgeableEventsPipeline(now, { at: lease, position: 4, id }, 7);
    expect(match).toEqual({
      $match: {
        timestamp: { $lt: now },
        $nor: [
          {
            $or: [
              { writtenAt: { $gt: lease } },
              { writtenAt: lease, position: { $gt: 4 } },
              { writtenAt: lease, position: 4, _id: { $gt: id } },
            ],
          },
        ],
      },
    });
    expect(lookup).toEqual({
      $lookup: {
        from: 'webhook_deliveries',
        localField: '_id',
        foreignField: 'eventId',
        pipeline: [{ $match: { status: 'pending' } }, { $limit: 1 }, { $project: { _id: 1 } }],
        as: 'pending',
      },
    });
    expect(unreferenced).toEqual({ $match: { pending: { $size: 0 } } });
    expect(limit).toEqual({ $limit: 7 });
  });
});
