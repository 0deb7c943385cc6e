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
 * Keeps V8 on its baseline WebAssembly compiler (Liftoff) instead of also optimising hot PostgreSQL functions
 * with TurboFan: that optimising left ~60 MB resident (compiler threads' malloc arenas) for no throughput gain
 * we could measure (BENCHMARKS.md, "PGlite memory"). A process-wide V8 setting, read when a module is compiled,
 * so it runs before the first PGlite instance; PGlite is the only WebAssembly this service loads.
 */
export function keepWebAssemblyOnBaselineCompiler(): void {
  setFlagsFromString('--liftoff-only');
}
