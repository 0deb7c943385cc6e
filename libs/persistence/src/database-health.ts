/** Readiness probe of the configured database, bound by the active driver module. */
export abstract class DatabaseHealth {
  /** Short, credential-free description, e.g. "PGlite (./data)". */
  abstract readonly description: string;
  /** Resolves when the database answers a trivial query. */
  abstract ping(): Promise<void>;
}
