/** SQLSTATE classes and codes meaning the database cannot be reached or is shutting down. */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;
// EMFILE and ENFILE: no file descriptor left for a database socket (the process or the host is out of them).
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EMFILE', 'ENFILE']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end|PGlite is closed|Server selection timed out/i;
const UNAVAILABLE_NAMES = new Set(['MongooseServerSelectionError', 'MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError']);

/** True when `error` (or its cause) says the database is unreachable, so the API can answer 503 instead of 500. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause, name } = current as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}
