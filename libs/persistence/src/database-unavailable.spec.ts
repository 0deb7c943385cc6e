import { isDatabaseUnavailableError } from './database-unavailable';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

describe(isDatabaseUnavailableError.name, () => {
  it.each([
    ['a refused connection', pgError('ECONNREFUSED')],
    ['a lost connection (08006)', pgError('08006')],
    ['too many connections (53300)', pgError('53300')],
    ['a full disk (53100)', pgError('53100')],
    ['an administrator shutdown (57P01)', pgError('57P01')],
    ['a dropped database (57P04)', pgError('57P04')],
    ['a missing database (3D000)', pgError('3D000', 'database "inventory" does not exist')],
    ['a missing schema (3F000)', pgError('3F000')],
    ['a missing table (42P01)', pgError('42P01', 'relation "inventory_items" does not exist')],
    ['no file descriptors left (EMFILE)', pgError('EMFILE')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a wrapped cause', Object.assign(new Error('Failed query'), { cause: pgError('3D000') })],
    ['no file descriptor left on the host (ENFILE)', pgError('ENFILE')],
    ['a connection timed out while connecting', new Error('Connection terminated due to connection timeout')],
    ['MongoDB server selection', Object.assign(new Error('x'), { name: 'MongoServerSelectionError' })],
    ...(
      [
        [10107, 'NotWritablePrimary'],
        [11602, 'InterruptedDueToReplStateChange'],
        [189, 'PrimarySteppedDown'],
        [91, 'ShutdownInProgress'],
        [11600, 'InterruptedAtShutdown'],
        [13435, 'NotPrimaryNoSecondaryOk'],
      ] as const
    ).map(
      ([code, codeName]) =>
        [`a MongoDB failover error (${code} ${codeName})`, Object.assign(new Error(codeName), { code, codeName })] as [string, Error],
    ),
    ['a closed MongoDB topology', Object.assign(new Error('Topology is closed'), { name: 'MongoTopologyClosedError' })],
    ['a MongoDB client not connected', Object.assign(new Error('Client must be connected'), { name: 'MongoNotConnectedError' })],
    [
      "a failover error as a transaction's cause",
      Object.assign(new Error('Transaction ran out of time'), { cause: Object.assign(new Error('x'), { code: 10107 }) }),
    ],
  ])('should count %s as the database being unavailable', (_what, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', pgError('23505')],
    ['a check violation (23514)', pgError('23514')],
    ['invalid text for a type (22P02)', pgError('22P02')],
    ['a plain error', new Error('disk on fire')],
    ['a MongoDB write conflict (112)', Object.assign(new Error('WriteConflict'), { code: 112 })],
    ['a MongoDB duplicate key (11000)', Object.assign(new Error('E11000'), { code: 11000 })],
    ['a MongoDB validation failure (121)', Object.assign(new Error('Document failed validation'), { code: 121 })],
    ['nothing', undefined],
    ['a programming error', new TypeError('x is not a function')],
    ['a non-error', 'EMFILE'],
  ])('should not count %s', (_what, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});
