import { EventEmitter } from 'node:events';
import type { mongo } from 'mongoose';
import { MongoPoolCounts } from './mongo-pool-counts';

function fakeClient(maxPoolSize: number): EventEmitter & { options: { maxPoolSize: number } } {
  return Object.assign(new EventEmitter(), { options: { maxPoolSize } });
}

describe('MongoPoolCounts', () => {
  it('should derive in use, idle and waiting from the pool monitoring events', () => {
    const client = fakeClient(5);
    const counts = new MongoPoolCounts(client as unknown as mongo.MongoClient);
    expect(counts.read()).toEqual({ max: 5, inUse: 0, idle: 0, waiting: 0 });

    for (let i = 0; i < 3; i++) client.emit('connectionCheckOutStarted');
    client.emit('connectionCreated');
    client.emit('connectionCreated');
    client.emit('connectionCheckedOut');
    client.emit('connectionCheckedOut');
    expect(counts.read()).toEqual({ max: 5, inUse: 2, idle: 0, waiting: 1 });

    client.emit('connectionCheckOutFailed');
    client.emit('connectionCheckedIn');
    expect(counts.read()).toEqual({ max: 5, inUse: 1, idle: 1, waiting: 0 });

    client.emit('connectionCheckedIn');
    client.emit('connectionClosed');
    expect(counts.read()).toEqual({ max: 5, inUse: 0, idle: 1, waiting: 0 });
  });
});
