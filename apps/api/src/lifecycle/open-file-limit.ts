import { readFileSync } from 'node:fs';

/** Descriptors the process needs besides client connections and database sockets: stdio, PGlite files, Node itself. */
const OWN_DESCRIPTORS = 128;

/** This process's soft open-file limit (`ulimit -n`), or null where /proc is not available or it is unlimited. */
export function openFileLimit(readLimits: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readLimits());
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A warning when MAX_CONNECTIONS would leave the database pool too few file descriptors, else null. */
export function connectionCapWarning(maxConnections: number, poolMax: number, limit: number | null): string | null {
  if (limit === null || maxConnections + poolMax + OWN_DESCRIPTORS <= limit) return null;
  return (
    `MAX_CONNECTIONS (${maxConnections}) plus the database pool (${poolMax}) leaves too few of the ${limit} open files ` +
    `this process may have (ulimit -n): lower MAX_CONNECTIONS to ${Math.max(1, limit - poolMax - OWN_DESCRIPTORS)} or raise the limit`
  );
}
