import { DEFAULT_SERVER_SELECTION_TIMEOUT_MS, mongoConnectionOptions, MongoUnreachableError } from './mongo-connection-options';
import { isDatabaseUnavailableError } from '../../database-unavailable';

describe(mongoConnectionOptions.name, () => {
  it('should force reads and writes onto the primary with majority acknowledgement', () => {
    expect(mongoConnectionOptions('mongodb://m1,m2,m3/inventory?replicaSet=rs0&readPreference=secondary&w=1')).toMatchObject({
      readPreference: 'primary',
      w: 'majority',
      autoIndex: false,
    });
  });

  it("should bound server selection by default, but keep the URL's own bound (any letter case)", () => {
    expect(mongoConnectionOptions('mongodb://m1/inventory').serverSelectionTimeoutMS).toBe(DEFAULT_SERVER_SELECTION_TIMEOUT_MS);
    expect(mongoConnectionOptions('mongodb://127.0.0.1:1,127.0.0.1:2/inv?replicaSet=rs0&serverSelectionTimeoutMS=2000')).not.toHaveProperty(
      'serverSelectionTimeoutMS',
    );
    expect(mongoConnectionOptions('mongodb://m1/inv?serverselectiontimeoutms=2000')).not.toHaveProperty('serverSelectionTimeoutMS');
  });
});

describe(MongoUnreachableError.name, () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'MongooseServerSelectionError' });

  it("should name the hosts and replica set, never the credentials, and keep the driver's reason", () => {
    const error = new MongoUnreachableError(
      'mongodb://shop:hunter2@127.0.0.1:1,127.0.0.1:2/inv?replicaSet=rs0&serverSelectionTimeoutMS=2000',
      refused,
    );
    expect(error.message).toBe('Cannot reach MongoDB at 127.0.0.1:1,127.0.0.1:2 (replica set rs0): connect ECONNREFUSED 127.0.0.1:1');
    expect(error.message).not.toContain('hunter2');
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it('should name a single host without a replica set', () => {
    expect(new MongoUnreachableError('mongodb://127.0.0.1:1/shop', refused).message).toBe(
      'Cannot reach MongoDB at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
