import { DatabaseConfig, PGLITE_IN_MEMORY } from '@app/persistence';
import { ConnectionString } from 'mongodb-connection-string-url';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export type BackendName = 'pglite' | 'postgres' | 'mongo';

const REASONS: Record<BackendName, () => string | null> = {
  pglite: () => null,
  postgres: () => (process.env.TEST_DATABASE_URL ? null : 'set TEST_DATABASE_URL to run it'),
  mongo: () => (process.env.MONGO_TESTS === 'on' && process.env.TEST_MONGODB_URL ? null : 'no MongoDB: set TEST_MONGODB_URL to run it'),
};

/** Why a backend cannot run here, or null when it can. */
function unavailableReason(backend: BackendName): string | null {
  return REASONS[backend]();
}

/**
 * Registers a suite once per backend; backends that cannot run here are registered as skipped, with the
 * reason in their title, so a run shows what it did not cover.
 */
export function describeEachBackend(title: string, backends: BackendName[], body: (backend: BackendName) => void): void {
  for (const backend of backends) {
    const reason = unavailableReason(backend);
    if (reason) describe.skip(`${title} (${backend}: skipped, ${reason})`, () => body(backend));
    else describe(`${title} (${backend})`, () => body(backend));
  }
}

export const ALL_BACKENDS: BackendName[] = ['pglite', 'postgres', 'mongo'];
/** Backends several instances can share. */
export const SHARED_BACKENDS: BackendName[] = ['postgres', 'mongo'];

export interface TestDatabase {
  config: DatabaseConfig;
  dispose(): Promise<void>;
}

/** A database of its own for one test file, so runs (and files) never see each other's data. */
export async function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  const name = `inventory_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (backend === 'pglite') return { config: { kind: 'pglite', dataDir: PGLITE_IN_MEMORY }, dispose: async () => undefined };
  if (backend === 'mongo') return createMongoDatabase(name);

  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString(), poolMax: 10 },
    dispose: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function createMongoDatabase(name: string): Promise<TestDatabase> {
  const base = process.env.TEST_MONGODB_URL;
  if (!base) throw new Error('TEST_MONGODB_URL is not set');
  // The driver's parser: TEST_MONGODB_URL may list several hosts, which new URL() rejects.
  const url = new ConnectionString(base);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'mongo', url: url.toString() },
    dispose: async () => {
      const connection = await mongoose.createConnection(url.toString(), { serverSelectionTimeoutMS: 5_000 }).asPromise();
      try {
        await connection.dropDatabase();
      } finally {
        await connection.close();
      }
    },
  };
}

async function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
