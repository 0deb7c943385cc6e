/** The database connection pool at one moment, for the metrics endpoint. */
export interface DatabasePoolCounts {
  /** Most connections the pool opens (per server, for MongoDB). */
  max: number;
  /** Connections running a query or transaction now. Absent when the driver cannot tell (PGlite). */
  inUse?: number;
  /** Open connections waiting for work. */
  idle?: number;
  /** Requests waiting for a connection because every one is in use. */
  waiting?: number;
}

/** Reads the active driver's pool, bound by the driver module; cheap enough to call on every scrape. */
export abstract class DatabasePoolStats {
  abstract read(): DatabasePoolCounts;
}

export function databasePoolStatsOf(handle: { poolCounts(): DatabasePoolCounts }): DatabasePoolStats {
  return { read: () => handle.poolCounts() };
}
