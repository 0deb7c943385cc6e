import { sql } from 'drizzle-orm';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { PGLITE_IN_MEMORY } from '../../database-config';
import { openPglite, DrizzleHandle } from './database';
import { initialiseDataDir } from './pglite-initdb';
import { PGLITE_SHARED_BUFFERS } from './pglite-options';

describe('PGlite settings', () => {
  const showSharedBuffers = async (handle: DrizzleHandle) =>
    (await handle.prepared<{ shared_buffers: string }>('show_shared_buffers', sql`show shared_buffers`))[0]?.shared_buffers;

  it('should run an in-memory database with the configured shared_buffers', async () => {
    const handle = await openPglite(PGLITE_IN_MEMORY);
    try {
      expect(PGLITE_SHARED_BUFFERS).toBe('16MB');
      expect(await showSharedBuffers(handle)).toBe(PGLITE_SHARED_BUFFERS);
    } finally {
      await handle.close();
    }
  });

  it('should create a database in a new folder, run it with the configured shared_buffers and keep its data on reopening', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pglite-settings-')), 'data');
    const first = await openPglite(dir);
    try {
      expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
      expect(await showSharedBuffers(first)).toBe(PGLITE_SHARED_BUFFERS);
      await first.prepared('create_kept', sql`create table kept (id int primary key)`);
      await first.prepared('insert_kept', sql`insert into kept values (${7})`);
    } finally {
      await first.close();
    }
    const second = await openPglite(dir);
    try {
      expect(await showSharedBuffers(second)).toBe(PGLITE_SHARED_BUFFERS);
      expect(await second.prepared('select_kept', sql`select id from kept`)).toEqual([{ id: 7 }]);
    } finally {
      await second.close();
    }
  });

  it('should set the V8 flags that bound its memory (heap growth, WebAssembly compiler) before PGlite compiles', async () => {
    const setFlags = jest.spyOn(v8, 'setFlagsFromString');
    // This project's TypeScript libraries do not declare WebAssembly; the global is there at run time.
    const webAssembly = (globalThis as unknown as { WebAssembly: { instantiate: (...args: unknown[]) => Promise<unknown> } }).WebAssembly;
    const instantiate = jest.spyOn(webAssembly, 'instantiate');
    try {
      const handle = await openPglite(PGLITE_IN_MEMORY);
      await handle.close();
      expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual(['--liftoff-only', '--heap-growing-percent=30']);
      expect(instantiate).toHaveBeenCalled();
      expect(Math.max(...setFlags.mock.invocationCallOrder)).toBeLessThan(instantiate.mock.invocationCallOrder[0]);
    } finally {
      setFlags.mockRestore();
      instantiate.mockRestore();
    }
  });

  it('should report a folder it cannot create a database in, with the reason', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pglite-settings-')), 'not-a-folder');
    writeFileSync(file, '');
    await expect(initialiseDataDir(join(file, 'data'))).rejects.toThrow(
      /PGlite could not create a database in '.*not-a-folder\/data': .*ENOTDIR/s,
    );
  });
});
