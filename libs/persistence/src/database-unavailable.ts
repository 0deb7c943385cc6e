/**
 * SQLSTATEs of infrastructure, never of a request: connection failures (08), insufficient resources (53: too many
 * connections, disk full, out of memory), shutdown or a dropped database (57P01-57P04), a missing database
 * (3D000), and a missing schema or table (3F000, 42P01): the service's SQL is fixed and its migrations run at
 * startup, so a relation that does not exist means the database was dropped or recreated under it.
 */
const UNAVAILABLE_SQLSTATES = /^(08...|53...|57P0[1-4]|3D000|3F000|42P01)$/;
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EMFILE', 'ENFILE']);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end|PGlite is closed|Server selection timed out/i;
const UNAVAILABLE_NAMES = new Set([
  'MongooseServerSelectionError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  // The Mongo adapter's: a transaction's commit was never acknowledged (see translateTransactionError).
  'MongoCommitUnconfirmedError',
]);
/**
 * MongoDB server codes of a failover or shutdown that outlived the driver's one retry: not primary (10107, 13435,
 * 13436), stepped down (189), state change or shutdown interruptions (11602, 11600, 91), network (6, 7, 89, 9001).
 * The driver's retryable-write set (`mongodb/lib/error.js`, RETRYABLE_WRITE_ERROR_CODES) less ExceededTimeLimit.
 */
const UNAVAILABLE_MONGO_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/** True when `error` (or its cause) says the database is unreachable, so the API can answer 503 instead of 500. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause, name } = current as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
    if (typeof code === 'number' && UNAVAILABLE_MONGO_CODES.has(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}
