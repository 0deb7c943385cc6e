/** Which backend the service runs on, decided once from DATABASE_URL. */
export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; url: string; poolMax: number }
  | { kind: 'mongo'; url: string };

export interface DatabaseSettings {
  databaseUrl?: string;
  /** The original service's variables, used only when DATABASE_URL is unset: name and value, e.g. ['MONGODB_URI', '...']. */
  legacyMongoUri?: [name: string, value: string | undefined];
  pgliteDataDir?: string;
  poolMax?: number;
}

const DEFAULT_PGLITE_DATA_DIR = './data';
export const PGLITE_IN_MEMORY = 'memory://';
const DEFAULT_POOL_MAX = 10;

export class DatabaseConfigError extends Error {
  override name = 'DatabaseConfigError';
}

export function parseDatabaseConfig(settings: DatabaseSettings): DatabaseConfig {
  const url = settings.databaseUrl?.trim();
  if (!url) {
    const [name, legacy] = settings.legacyMongoUri ?? ['', undefined];
    if (legacy?.trim()) {
      if (!/^mongodb(\+srv)?:\/\//i.test(legacy.trim())) {
        throw new DatabaseConfigError(`${name} must be a mongodb:// or mongodb+srv:// URL (its value is not shown)`);
      }
      return { kind: 'mongo', url: legacy.trim() };
    }
    return { kind: 'pglite', dataDir: settings.pgliteDataDir?.trim() || DEFAULT_PGLITE_DATA_DIR };
  }

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      assertParsableUrl(url);
      return { kind: 'postgres', url, poolMax: settings.poolMax ?? DEFAULT_POOL_MAX };
    case 'mongodb':
    case 'mongodb+srv':
      return { kind: 'mongo', url };
    default:
      throw new DatabaseConfigError(
        `DATABASE_URL has an unsupported scheme${scheme ? ` '${scheme}://'` : ''}: ` +
          `use postgres://, postgresql://, mongodb:// or mongodb+srv://, or leave it unset for embedded PGlite`,
      );
  }
}

/** A printable description of the backend that never contains credentials. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `PGlite (${config.dataDir === PGLITE_IN_MEMORY ? 'in memory' : config.dataDir})`;
  const { protocol, hostname, port, pathname } = new URL(config.url);
  return `${config.kind === 'postgres' ? 'PostgreSQL' : 'MongoDB'} ${protocol}//${hostname}${port ? `:${port}` : ''}${pathname}`;
}

function assertParsableUrl(url: string): void {
  try {
    new URL(url);
  } catch {
    throw new DatabaseConfigError('DATABASE_URL is not a valid URL (its value is not shown because it may hold credentials)');
  }
}
