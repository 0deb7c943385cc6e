import { DatabaseConfig } from './database-config';

type ImportModule = typeof import('./mongo/original-import/import-original');
type HandleModule = typeof import('./mongo/mongo-handle/database');

/**
 * `npm run import:original`: copies the original service's items and active holds into this service's MongoDB
 * collections (see importOriginalService). Mongoose is loaded only here, as for the Mongo adapter itself.
 */
export async function importOriginalData(config: DatabaseConfig, now: Date) {
  if (config.kind !== 'mongo')
    throw new Error("import:original needs a MongoDB DATABASE_URL (or MONGODB_URI): the original service's data lives there");
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { openMongo } = require('./mongo/mongo-handle/database') as HandleModule;
  const { importOriginalService } = require('./mongo/original-import/import-original') as ImportModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const handle = await openMongo(config.url);
  try {
    return await importOriginalService(handle, now);
  } finally {
    await handle.close();
  }
}
