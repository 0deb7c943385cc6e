import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE_NAME = '.inventory-service.lock';

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';

  constructor(dataDir: string, pid: number) {
    super(
      `PGlite data folder '${dataDir}' is in use by another process (pid ${pid}). ` +
        `PGlite cannot share a folder between processes: stop that process, or set PGLITE_DATA_DIR to another folder, ` +
        `or use DATABASE_URL=postgres://... to run several instances.`,
    );
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * Claims a PGlite data folder for this process with an exclusively created pid file.
 * PGlite has no lock of its own, and two processes writing one folder corrupt it.
 * A lock left by a dead process (or by this pid in an earlier life, as in a restarted container) is taken over.
 * The pid check only sees processes of this host, so a folder shared over a network mount is not protected.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => releaseIfOurs(lockPath) };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = readPid(lockPath);
    if (holder !== null && holder !== process.pid && isAlive(holder)) throw new DataDirInUseError(dataDir, holder);
    removeStaleLock(lockPath, holder, dataDir);
  }
  throw new Error(`Could not claim PGlite data folder '${dataDir}': its lock file kept changing`);
}

/**
 * Moves the stale lock aside with an atomic rename; if what was moved turns out to be a live
 * process's fresh lock (it replaced the stale one in between), it is put back and we give way.
 */
function removeStaleLock(lockPath: string, stalePid: number | null, dataDir: string): void {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = readPid(aside);
  if (moved !== null && moved !== stalePid && moved !== process.pid && isAlive(moved)) {
    try {
      linkSync(aside, lockPath);
    } finally {
      unlinkSync(aside);
    }
    throw new DataDirInUseError(dataDir, moved);
  }
  unlinkSync(aside);
}

function releaseIfOurs(lockPath: string): void {
  if (readPid(lockPath) === process.pid) unlinkSync(lockPath);
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
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
