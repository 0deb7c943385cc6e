import { PGlite } from '@electric-sql/pglite';
import { getTableName, SQL } from 'drizzle-orm';
import { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { resolve, join } from 'node:path';
import { Pool } from 'pg';
import { PGLITE_IN_MEMORY } from '../../database-config';
import type { DatabasePoolCounts } from '../../database-pool-stats';
import { schema } from '../schema';
import { acquireDataDirLock } from './pglite-data-dir-lock';
import { initialiseDataDir } from './pglite-initdb';
import { applyPgliteV8Flags, PGLITE_OPTIONS } from './pglite-options';
import { StatementTexts } from './statement-texts';

export type AppDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;
/** Hand-written SQL to rows, on either driver. */
export type HandleRows = <T extends Record<string, unknown>>(query: SQL) => Promise<T[]>;

/** An open Drizzle database on either PostgreSQL or PGlite, with its schema migrated (prepared). */
export interface DrizzleHandle {
  db: AppDatabase;
  /** Runs hand-written SQL on either driver; node-postgres and PGlite both answer with `rows`. */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * Runs a hand-written statement whose text never changes (every value a parameter) as a named prepared
   * statement on PostgreSQL, so it is parsed and planned once per connection; PGlite runs it as is. Its text is built
   * once per name (StatementTexts); later calls only collect the values.
   */
  prepared<T>(name: string, query: SQL): Promise<T[]>;
  /**
   * Runs `work` in one transaction at the server's default isolation (READ COMMITTED) on one connection
   * (PGlite: with every other query held back); commits when it resolves, rolls back when it throws.
   */
  transaction<T>(work: (rows: HandleRows) => Promise<T>): Promise<T>;
  /** Resolves when the database answers and the migrated tables are there (a recreated database has none). */
  ping(): Promise<void>;
  /** node-postgres: the pool's counts; PGlite: one in-process connection that queues queries internally. */
  poolCounts(): DatabasePoolCounts;
  close(): Promise<void>;
}

/** Touches every table without reading a row: fails with 42P01 when the schema is gone. */
const SCHEMA_PROBE = `SELECT 1 FROM ${Object.values(schema)
  .map((table) => getTableName(table))
  .join(', ')} LIMIT 0`;
/** Copied next to the compiled code by scripts/copy-assets.js. */
const MIGRATIONS_FOLDER = join(__dirname, '..', 'migrations');
/** Serialises migrations when several instances start against one PostgreSQL at once. */
const MIGRATION_LOCK_KEY = 72_517_001;

export async function openPglite(dataDir: string): Promise<DrizzleHandle> {
  const inMemory = dataDir === PGLITE_IN_MEMORY;
  const lock = inMemory ? null : acquireDataDirLock(resolve(dataDir));
  let client: PGlite | undefined;
  try {
    if (!inMemory) await initialiseDataDir(resolve(dataDir));
    applyPgliteV8Flags();
    client = new PGlite({ ...PGLITE_OPTIONS, dataDir: inMemory ? undefined : resolve(dataDir) });
    await client.waitReady;
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const opened = client;
    const texts = new StatementTexts();
    return {
      db: db as unknown as AppDatabase,
      rows: <T extends Record<string, unknown>>(query: SQL) => rowsOf<T>(db, query),
      prepared: async <T>(name: string, query: SQL) => {
        const { text, values } = texts.query(name, query);
        return (await opened.query<T>(text, values)).rows;
      },
      transaction: (work) => transactionOf(db as unknown as AppDatabase, work),
      ping: async () => void (await opened.query(SCHEMA_PROBE)),
      poolCounts: () => ({ max: 1 }),
      close: async () => {
        try {
          if (!opened.closed) await opened.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    if (client && !client.closed) await client.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
}

export async function openPostgres(url: string, poolMax: number): Promise<DrizzleHandle> {
  const pool = new Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await migrateNodePg(drizzleNodePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const db = drizzleNodePg(pool, { schema });
  const texts = new StatementTexts();
  return {
    db: db as unknown as AppDatabase,
    rows: <T extends Record<string, unknown>>(query: SQL) => rowsOf<T>(db, query),
    prepared: async <T>(name: string, query: SQL) => {
      const { text, values } = texts.query(name, query);
      return (await pool.query({ name, text, values })).rows as T[];
    },
    transaction: (work) => transactionOf(db as unknown as AppDatabase, work),
    ping: async () => void (await pool.query(SCHEMA_PROBE)),
    poolCounts: () => ({ max: poolMax, inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

async function rowsOf<T extends Record<string, unknown>>(db: AppDatabase, query: SQL): Promise<T[]> {
  // Both drivers answer with `rows`; drizzle types the pg-core result as unknown.
  const result = (await db.execute(query)) as { rows: T[] };
  return result.rows;
}

function transactionOf<T>(db: AppDatabase, work: (rows: HandleRows) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work((query) => rowsOf(tx as unknown as AppDatabase, query)));
}
