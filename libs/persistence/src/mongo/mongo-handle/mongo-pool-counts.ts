import type { mongo } from 'mongoose';
import type { DatabasePoolCounts } from '../../database-pool-stats';

/**
 * Counts the driver's connection pool monitoring (CMAP) events, which every server's pool emits and the MongoClient
 * relays (mongodb/lib/cmap/connection_pool.js, sdam/server.js, sdam/topology.js, mongo_client.js). Attach before
 * the client connects so no event is missed; the counts then add up over all servers' pools.
 */
export class MongoPoolCounts {
  private created = 0;
  private closed = 0;
  private checkedOut = 0;
  private checkedIn = 0;
  private checkOutsStarted = 0;
  private checkOutsFailed = 0;

  constructor(private readonly client: mongo.MongoClient) {
    client.on('connectionCreated', () => this.created++);
    client.on('connectionClosed', () => this.closed++);
    client.on('connectionCheckOutStarted', () => this.checkOutsStarted++);
    client.on('connectionCheckOutFailed', () => this.checkOutsFailed++);
    client.on('connectionCheckedOut', () => this.checkedOut++);
    // The pool emits this for every connection given back, including one it then closes as perished.
    client.on('connectionCheckedIn', () => this.checkedIn++);
  }

  read(): DatabasePoolCounts {
    const inUse = this.checkedOut - this.checkedIn;
    return {
      max: this.client.options.maxPoolSize,
      inUse,
      // Connections still being established count as open, not in use: idle here includes them.
      idle: Math.max(0, this.created - this.closed - inUse),
      waiting: this.checkOutsStarted - this.checkedOut - this.checkOutsFailed,
    };
  }
}
