import { isDatabaseUnavailableError } from './database-unavailable';

const errno = (code: string, message = `connect ${code}`) => Object.assign(new Error(message), { code });

describe(isDatabaseUnavailableError.name, () => {
  it.each([
    ['no file descriptor left in the process', errno('EMFILE', 'connect EMFILE 127.0.0.1:5432 - Local (undefined:undefined)')],
    ['no file descriptor left on the host', errno('ENFILE')],
    ['the pool timed out waiting to connect', new Error('timeout exceeded when trying to connect')],
    ['a connection timed out while connecting', new Error('Connection terminated due to connection timeout', { cause: new Error('x') })],
    ['a refused connection, as the cause of a driver error', new Error('Failed query', { cause: errno('ECONNREFUSED') })],
    ['too many connections on the server', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
  ])('should recognise %s', (_label, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a programming error', new TypeError('x is not a function')],
    ['a non-error', 'EMFILE'],
  ])('should not treat %s as the database being unavailable', (_label, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});
