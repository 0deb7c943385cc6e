import { ConnectionString } from 'mongodb-connection-string-url';

/** Server selection time at startup and per operation when the URL sets none: fail fast, let the orchestrator restart. */
export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 10_000;

/**
 * The options passed next to the URL. In the driver's parseOptions (mongodb/lib/connection_string.js) an option given
 * as an object comes first in its list of values and setOption takes values[0], so these win over the URL:
 * - readPreference 'primary': reads after a write see it, and no read is served by a lagging secondary;
 * - w 'majority': a confirmed sale survives a failover (a primary-secondary-arbiter set defaults to w: 1);
 * - serverSelectionTimeoutMS only when the URL does not set it, so `?serverSelectionTimeoutMS=2000` is honoured.
 */
export function mongoConnectionOptions(url: string) {
  const params = new ConnectionString(url).searchParams;
  return {
    autoIndex: false,
    readPreference: 'primary' as const,
    w: 'majority' as const,
    ...(params.has('serverSelectionTimeoutMS') ? {} : { serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_TIMEOUT_MS }),
  };
}

/** MongoDB could not be reached at startup; the driver's error is the cause (so it still counts as unavailable). */
export class MongoUnreachableError extends Error {
  override name = 'MongoUnreachableError';

  constructor(url: string, cause: unknown) {
    const parsed = new ConnectionString(url);
    const replicaSet = parsed.searchParams.get('replicaSet');
    const where = `${parsed.hosts.join(',')}${replicaSet ? ` (replica set ${replicaSet})` : ''}`;
    super(`Cannot reach MongoDB at ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
