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

  it.each([
    ['a replica set of three hosts', 'mongodb://m1:27017,m2:27017,m3:27017/inventory?replicaSet=rs0'],
    ['the startup-check URL', 'mongodb://127.0.0.1:1,127.0.0.1:2/inv?replicaSet=rs0&serverSelectionTimeoutMS=2000'],
    [
      'an SRV record with options',
      'mongodb+srv://shop:s3cret@cluster0.ab12c.mongodb.net/inventory?retryWrites=true&w=majority&appName=inv',
    ],
    [
      'percent-encoded special characters in the credentials',
      'mongodb://us%40er:p%40ss%3Aw%2Ford%23@m1:27017,m2:27017/inventory?authSource=admin',
    ],
    ['IPv6 hosts', 'mongodb://[::1]:27017,[::1]:27018/inventory?replicaSet=rs0'],
    ['no database path', 'mongodb://m1,m2/?replicaSet=rs0'],
  ])('should accept %s as MongoDB, unchanged', (_label, url) => {
    expect(parseDatabaseConfig({ databaseUrl: url })).toEqual({ kind: 'mongo', url });
  });

  it.each([
    ['an unescaped @ in the password', 'mongodb://shop:hunter2@x@m1:27017/inventory', /Invalid connection string/],
    ['an unescaped : in the user name', 'mongodb://hunter2:x:y@m1/inventory', /unescaped characters/],
    ['two SRV names', 'mongodb+srv://a.example.net,b.example.net/inventory', /cannot have multiple service names/],
    ['an SRV name with a port', 'mongodb+srv://hunter2.example.net:27017/inventory', /cannot have port number/],
    ['no host', 'mongodb:///inventory', /host list are required/],
  ])('should reject a MongoDB URL with %s, saying why without echoing it', (_label, url, reason) => {
    const parse = () => parseDatabaseConfig({ databaseUrl: url });
    expect(parse).toThrow(DatabaseConfigError);
    expect(parse).toThrow(reason);
    expect(parse).toThrow(/^DATABASE_URL is not a valid MongoDB connection string/);
    expect(parse).not.toThrow(/hunter2/);
  });

  it("should check the original service's MongoDB variable with the same parser", () => {
    expect(() => parseDatabaseConfig({ legacyMongoUri: ['MONGODB_URI', 'mongodb+srv://a.example.net,b.example.net/x'] })).toThrow(
      /^MONGODB_URI is not a valid MongoDB connection string/,
    );
  });

  it("should fall back to the original service's MongoDB variable only when DATABASE_URL is unset", () => {
    expect(parseDatabaseConfig({ legacyMongoUri: ['DEV_MONGODB_URI', 'mongodb+srv://u:p@c.example.net/shop'] })).toEqual({
      kind: 'mongo',
      url: 'mongodb+srv://u:p@c.example.net/shop',
    });
    expect(parseDatabaseConfig({ databaseUrl: 'postgres://db/shop', legacyMongoUri: ['MONGODB_URI', 'mongodb://x/y'] }).kind).toBe(
      'postgres',
    );
    expect(() => parseDatabaseConfig({ legacyMongoUri: ['MONGODB_URI', 'postgres://u:hunter2@db/x'] })).toThrow(
      /^MONGODB_URI must be a mongodb/,
    );
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

  it('should describe MongoDB by its hosts and database only, for every URL form', () => {
    const describe = (url: string) => describeDatabase({ kind: 'mongo', url });
    expect(describe('mongodb://shop:hunter2@m1:27017,m2:27017,m3:27017/inventory?replicaSet=rs0')).toBe(
      'MongoDB mongodb://m1:27017,m2:27017,m3:27017/inventory',
    );
    expect(describe('mongodb+srv://shop:hunter2@cluster0.ab12c.mongodb.net/inventory?w=majority')).toBe(
      'MongoDB mongodb+srv://cluster0.ab12c.mongodb.net/inventory',
    );
    expect(describe('mongodb://127.0.0.1:1,127.0.0.1:2/inv?replicaSet=rs0&serverSelectionTimeoutMS=2000')).toBe(
      'MongoDB mongodb://127.0.0.1:1,127.0.0.1:2/inv',
    );
  });

  it('should describe PGlite by folder', () => {
    expect(describeDatabase({ kind: 'pglite', dataDir: './data' })).toBe('PGlite (./data)');
    expect(describeDatabase({ kind: 'pglite', dataDir: 'memory://' })).toBe('PGlite (in memory)');
  });
});
