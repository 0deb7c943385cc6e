import { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { setFlagsFromString } from 'node:v8';

/**
 * PostgreSQL's buffer cache inside PGlite. PGlite's default (128MB) grows its WebAssembly memory from 128 to
 * 189 MB and fills as tables are read; pages beyond this cache are still cached by the OS page cache (the data
 * folder is plain files), as with a server PostgreSQL. Measured in BENCHMARKS.md, "PGlite memory".
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

/**
 * Options every PGlite instance of the service opens with (pass them in the one-object form: `new PGlite(undefined,
 * options)` ignores its options). startParams replace PGlite's own, so its defaults are kept and extended;
 * wal_buffers follows shared_buffers (1/32 of it).
 */
export const PGLITE_OPTIONS = {
  startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
} satisfies PGliteOptions;

/**
 * V8 settings for a process that runs the embedded database, set before the first PGlite instance compiles
 * (BENCHMARKS.md, "PGlite memory"). Both are read by V8 when they apply, not when the isolate is created, so they work
 * set from inside the process; they are process-wide, and only the embedded default sets them.
 * - `--liftoff-only`: keeps WebAssembly on the baseline compiler. Optimising hot PostgreSQL functions with TurboFan
 *   left ~60 MB resident (compiler threads' malloc arenas) for no throughput gain we could measure. Read when a module
 *   is compiled; PGlite is the only WebAssembly this service loads.
 * - `--heap-growing-percent=30`: after each full GC, V8 lets the old generation grow 30% over what survived before
 *   the next one (instead of up to 4x). Under load, the garbage of requests served one after the other (PGlite runs
 *   each query on the main thread) is promoted, and the old generation grew from ~40 to 110-150 MB of mostly garbage,
 *   taking the process above 300 MB. Read at every full GC.
 */
export const PGLITE_V8_FLAGS = ['--liftoff-only', '--heap-growing-percent=30'];

export function applyPgliteV8Flags(): void {
  for (const flag of PGLITE_V8_FLAGS) setFlagsFromString(flag);
}
