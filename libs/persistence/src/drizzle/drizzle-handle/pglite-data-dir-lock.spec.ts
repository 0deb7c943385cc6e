import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirInUseError, LOCK_FILE_NAME } from './pglite-data-dir-lock';

describe(acquireDataDirLock.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'pglite-lock-')), 'data');
  });

  const lockPath = () => join(dir, LOCK_FILE_NAME);
  const writeLock = (pid: number | string, host = hostname()) => writeFileSync(lockPath(), `${pid}\n${host}\n`);
  const ownLock = () => `${process.pid}\n${hostname()}\n`;
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

  it('should create the folder, record pid and host, and leave no staging file behind', () => {
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockPath(), 'utf8')).toBe(ownLock());
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    lock.release();
    expect(existsSync(lockPath())).toBe(false);
  });

  it('should refuse a folder held by a live process of this host, naming its pid', () => {
    acquireDataDirLock(dir);
    writeLock(process.ppid);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirInUseError);
    expect(() => acquireDataDirLock(dir)).toThrow(`pid ${process.ppid}`);
    expect(readFileSync(lockPath(), 'utf8')).toBe(`${process.ppid}\n${hostname()}\n`);
  });

  it('should refuse a lock of another host, whose process it cannot check', () => {
    acquireDataDirLock(dir);
    writeLock(deadPid(), 'some-other-host');
    expect(() => acquireDataDirLock(dir)).toThrow(/on host some-other-host.*delete/);
  });

  it('should refuse an unreadable lock rather than guess', () => {
    acquireDataDirLock(dir);
    writeFileSync(lockPath(), '');
    expect(() => acquireDataDirLock(dir)).toThrow(/unreadable lock file/);
  });

  it('should take over a lock left by a dead process of this host', () => {
    acquireDataDirLock(dir);
    writeLock(deadPid());
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockPath(), 'utf8')).toBe(ownLock());
    lock.release();
  });

  it('should take over a lock carrying its own pid (a restarted container reuses pids)', () => {
    acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).not.toThrow();
  });

  it('should not remove a lock it no longer owns on release', () => {
    const lock = acquireDataDirLock(dir);
    writeLock(process.ppid);
    lock.release();
    expect(readFileSync(lockPath(), 'utf8')).toBe(`${process.ppid}\n${hostname()}\n`);
  });
});
