import { DatabaseConfig, describeDatabase } from './database-config';

/** Readiness probe of the configured database, bound by the active driver module. */
export abstract class DatabaseHealth {
  /** Short, credential-free description, e.g. "PGlite (./data)". */
  abstract readonly description: string;
  /** Resolves when the database answers a trivial query. */
  abstract ping(): Promise<void>;
}

/** The probe of an open adapter handle (Drizzle or Mongo): the handle's own ping. */
export function databaseHealthOf(config: DatabaseConfig, handle: { ping(): Promise<void> }): DatabaseHealth {
  return { description: describeDatabase(config), ping: () => handle.ping() };
}
