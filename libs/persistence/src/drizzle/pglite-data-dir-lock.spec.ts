import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirInUseError, LOCK_FILE_NAME } from './pglite-data-dir-lock';

describe(acquireDataDirLock.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'pglite-lock-')), 'data');
  });

  const lockPath = () => join(dir, LOCK_FILE_NAME);
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

  it('should create the folder and record this pid', () => {
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockPath())).toBe(false);
  });

  it('should refuse a folder held by a live process, naming its pid', () => {
    acquireDataDirLock(dir);
    writeFileSync(lockPath(), String(process.ppid));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirInUseError);
    expect(() => acquireDataDirLock(dir)).toThrow(`pid ${process.ppid}`);
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.ppid));
  });

  it('should take over a lock left by a dead process', () => {
    acquireDataDirLock(dir);
    writeFileSync(lockPath(), String(deadPid()));
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('should take over a lock carrying its own pid (a restarted container reuses pids)', () => {
    acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).not.toThrow();
  });

  it('should take over an unreadable lock file', () => {
    acquireDataDirLock(dir);
    writeFileSync(lockPath(), 'garbage');
    expect(() => acquireDataDirLock(dir)).not.toThrow();
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.pid));
  });

  it('should not remove a lock it no longer owns on release', () => {
    const lock = acquireDataDirLock(dir);
    writeFileSync(lockPath(), String(process.ppid));
    lock.release();
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.ppid));
  });
});
