import { assertTransactionsSupported, MongoStandaloneError } from './mongo-replica-set';

describe(assertTransactionsSupported.name, () => {
  it('should accept a replica set member', () => {
    expect(() => assertTransactionsSupported({ setName: 'rs0' })).not.toThrow();
  });

  it('should accept a mongos router', () => {
    expect(() => assertTransactionsSupported({ msg: 'isdbgrid' })).not.toThrow();
  });

  it('should stop a standalone server with instructions for a single-node replica set', () => {
    expect(() => assertTransactionsSupported({})).toThrow(MongoStandaloneError);
    expect(() => assertTransactionsSupported({})).toThrow(/--replSet rs0 .*rs\.initiate\(\)/);
  });
});
