import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE_NAME = '.inventory-service.lock';

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';

  constructor(dataDir: string, holder: string, hint = '') {
    super(
      `PGlite data folder '${dataDir}' is in use by another process (${holder}). ` +
        `PGlite cannot share a folder between processes: stop that process, or set PGLITE_DATA_DIR to another folder, ` +
        `or use DATABASE_URL=postgres://... to run several instances.${hint}`,
    );
  }
}

export interface DataDirLock {
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
}

/**
 * Claims a PGlite data folder for this process. PGlite has no lock of its own, and two processes writing
 * one folder corrupt it. The lock file (pid and hostname) appears with its content in one step (written
 * aside, then hard-linked into place, which fails if a lock exists), so no other process can see it empty.
 * A lock of this host whose pid is dead (or is our own pid from an earlier life, as in a restarted
 * container) is taken over. A lock of another host, or one that cannot be read, is refused: its owner
 * cannot be checked from here.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  const staged = `${lockPath}.${process.pid}.new`;
  writeFileSync(staged, `${me.pid}\n${me.host}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(staged, lockPath);
        return { release: () => releaseIfOurs(lockPath, me) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const holder = readOwner(lockPath);
      if (holder === 'gone') continue;
      if (holder === 'unreadable') {
        throw new DataDirInUseError(dataDir, 'unreadable lock file', ` If no process uses the folder, delete ${lockPath}.`);
      }
      if (holder.host !== me.host) {
        throw new DataDirInUseError(
          dataDir,
          `pid ${holder.pid} on host ${holder.host}`,
          ` If that host no longer runs it, delete ${lockPath}.`,
        );
      }
      if (holder.pid !== me.pid && isAlive(holder.pid)) throw new DataDirInUseError(dataDir, `pid ${holder.pid}`);
      removeStaleLock(lockPath, holder, dataDir);
    }
    throw new Error(`Could not claim PGlite data folder '${dataDir}': its lock file kept changing`);
  } finally {
    unlinkSync(staged);
  }
}

/**
 * Moves the stale lock aside with an atomic rename; if what was moved turns out to be a live process's
 * fresh lock (it replaced the stale one in between), it is put back and we give way.
 */
function removeStaleLock(lockPath: string, stale: LockOwner, dataDir: string): void {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = readOwner(aside);
  const replaced = typeof moved === 'object' && (moved.pid !== stale.pid || moved.host !== stale.host);
  if (replaced && moved.pid !== process.pid && isAlive(moved.pid)) {
    try {
      linkSync(aside, lockPath);
    } finally {
      unlinkSync(aside);
    }
    throw new DataDirInUseError(dataDir, `pid ${moved.pid}`);
  }
  unlinkSync(aside);
}

function releaseIfOurs(lockPath: string, me: LockOwner): void {
  const owner = readOwner(lockPath);
  if (typeof owner === 'object' && owner.pid === me.pid && owner.host === me.host) unlinkSync(lockPath);
}

function readOwner(path: string): LockOwner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
  const [pidText, host] = text.split('\n');
  const pid = Number.parseInt(pidText ?? '', 10);
  return Number.isSafeInteger(pid) && pid > 0 && host ? { pid, host } : 'unreadable';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
