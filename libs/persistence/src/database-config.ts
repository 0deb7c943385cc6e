import { ConnectionString } from 'mongodb-connection-string-url';

/** Which backend the service runs on, decided once from DATABASE_URL. */
export type DatabaseConfig =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolMax: number } | { kind: 'mongo'; url: string };

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
      return { kind: 'mongo', url: assertMongoConnectionString(name, legacy.trim()) };
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
      return { kind: 'mongo', url: assertMongoConnectionString('DATABASE_URL', url) };
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
  if (config.kind === 'mongo') {
    const { protocol, hosts, pathname } = new ConnectionString(config.url);
    return `MongoDB ${protocol}//${hosts.join(',')}${pathname}`;
  }
  const { protocol, hostname, port, pathname } = new URL(config.url);
  return `PostgreSQL ${protocol}//${hostname}${port ? `:${port}` : ''}${pathname}`;
}

/**
 * A MongoDB URL is checked by the driver's own parser (`new URL()` rejects the standard replica-set form
 * `mongodb://m1,m2,m3/db`), so what passes here is what MongoClient accepts. Messages never echo the value.
 */
function assertMongoConnectionString(name: string, url: string): string {
  try {
    new ConnectionString(url);
    return url;
  } catch (error) {
    // The parser's one message that quotes its input names the user; the rest describe the problem only.
    const reason = String((error as Error).message).replace(/^(Username contains unescaped characters).*$/s, '$1');
    throw new DatabaseConfigError(`${name} is not a valid MongoDB connection string: ${reason} (its value is not shown)`);
  }
}

function assertParsableUrl(url: string): void {
  try {
    new URL(url);
  } catch {
    throw new DatabaseConfigError('DATABASE_URL is not a valid URL (its value is not shown because it may hold credentials)');
  }
}
