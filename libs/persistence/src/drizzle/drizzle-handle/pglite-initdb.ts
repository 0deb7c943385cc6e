import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGLITE_OPTIONS } from './pglite-options';

const execFileAsync = promisify(execFile);
const INITDB_TIMEOUT_MS = 120_000;
/** Runs in the child: opens PGlite on the folder (which runs initdb there) and closes it. */
const INITDB_SCRIPT = `
const [pglitePath, dataDir, options] = process.argv.slice(1);
require(pglitePath).PGlite.create({ ...JSON.parse(options), dataDir }).then((db) => db.close());`;

/**
 * Creates the database cluster in a data folder that has none yet (PGlite's marker is PG_VERSION), in a
 * short-lived child process. PGlite's initdb runs a second PostgreSQL instance and copies its whole
 * WebAssembly memory: done in this process it leaves ~500 MB resident after startup and ~140 MB for good
 * (BENCHMARKS.md, "PGlite memory"); in a child that memory goes back to the OS when the child exits.
 */
export async function initialiseDataDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const args = ['-e', INITDB_SCRIPT, require.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(PGLITE_OPTIONS)];
  try {
    await execFileAsync(process.execPath, args, { timeout: INITDB_TIMEOUT_MS });
  } catch (error) {
    const { stderr } = error as { stderr?: string | Buffer };
    const reason = stderr?.toString().trim().slice(-2000) || (error as Error).message;
    throw new Error(`PGlite could not create a database in '${dataDir}': ${reason}`, { cause: error });
  }
}
