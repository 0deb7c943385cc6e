export * from './database-config';
export * from './database-health';
export * from './database-pool-stats';
export * from './persistence.module';
export { DataDirInUseError } from './drizzle/drizzle-handle/pglite-data-dir-lock';
export * from './database-unavailable';
export { MongoStandaloneError } from './mongo/mongo-handle/mongo-replica-set';
export { importOriginalData } from './original-import';
