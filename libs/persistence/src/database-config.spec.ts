import { DatabaseConfigError, describeDatabase, parseDatabaseConfig } from './database-config';

describe(parseDatabaseConfig.name, () => {
  it('should default to embedded PGlite under ./data', () => {
    expect(parseDatabaseConfig({})).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(parseDatabaseConfig({ databaseUrl: '  ' })).toEqual({ kind: 'pglite', dataDir: './data' });
  });

  it('should take the PGlite folder from PGLITE_DATA_DIR, including memory://', () => {
    expect(parseDatabaseConfig({ pgliteDataDir: '/var/lib/inv' })).toEqual({ kind: 'pglite', dataDir: '/var/lib/inv' });
    expect(parseDatabaseConfig({ pgliteDataDir: 'memory://' })).toEqual({ kind: 'pglite', dataDir: 'memory://' });
  });

  it.each(['postgres://u:p@db:5432/shop', 'postgresql://db/shop', 'POSTGRES://db/shop'])('should read %s as PostgreSQL', (url) => {
    expect(parseDatabaseConfig({ databaseUrl: url, poolMax: 4 })).toEqual({ kind: 'postgres', url, poolMax: 4 });
  });

  it.each(['mongodb://localhost/shop', 'mongodb+srv://u:p@cluster.example.net/shop'])('should read %s as MongoDB', (url) => {
    expect(parseDatabaseConfig({ databaseUrl: url })).toEqual({ kind: 'mongo', url });
  });

  it('should fall back to the original service\'s MongoDB variable only when DATABASE_URL is unset', () => {
    expect(parseDatabaseConfig({ legacyMongoUri: ['DEV_MONGODB_URI', 'mongodb+srv://u:p@c.example.net/shop'] })).toEqual({
      kind: 'mongo',
      url: 'mongodb+srv://u:p@c.example.net/shop',
    });
    expect(parseDatabaseConfig({ databaseUrl: 'postgres://db/shop', legacyMongoUri: ['MONGODB_URI', 'mongodb://x/y'] }).kind).toBe('postgres');
    expect(() => parseDatabaseConfig({ legacyMongoUri: ['MONGODB_URI', 'postgres://u:hunter2@db/x'] })).toThrow(/^MONGODB_URI must be a mongodb/);
  });

  it.each(['mysql://root:hunter2@db/shop', 'hunter2', 'file:///tmp/x'])('should reject %s without echoing it', (url) => {
    const parse = () => parseDatabaseConfig({ databaseUrl: url });
    expect(parse).toThrow(DatabaseConfigError);
    expect(parse).not.toThrow(/hunter2/);
  });

  it('should reject an unparsable postgres URL without echoing its credentials', () => {
    const parse = () => parseDatabaseConfig({ databaseUrl: 'postgres://user:hunter2@[bad' });
    expect(parse).toThrow(/not a valid URL/);
    expect(parse).not.toThrow(/hunter2/);
  });
});

describe(describeDatabase.name, () => {
  it('should never include credentials', () => {
    const text = describeDatabase({ kind: 'postgres', url: 'postgres://shop:hunter2@db.internal:5432/inventory', poolMax: 10 });
    expect(text).toBe('PostgreSQL postgres://db.internal:5432/inventory');
  });

  it('should describe PGlite by folder', () => {
    expect(describeDatabase({ kind: 'pglite', dataDir: './data' })).toBe('PGlite (./data)');
    expect(describeDatabase({ kind: 'pglite', dataDir: 'memory://' })).toBe('PGlite (in memory)');
  });
});
