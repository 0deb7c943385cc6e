import { nestLogEntry } from './nest-log-entry';

describe(nestLogEntry.name, () => {
  it('should read a Nest logger name as the context', () => {
    expect(nestLogEntry('Listening on http://127.0.0.1:3000', ['Bootstrap'], false)).toEqual({
      msg: 'Listening on http://127.0.0.1:3000',
      fields: { context: 'Bootstrap' },
    });
  });

  it('should read an error call as message, stack and context, and leave out a missing stack', () => {
    expect(nestLogEntry('Unexpected error', ['Error: boom\n    at x', 'Exceptions'], true)).toEqual({
      msg: 'Unexpected error',
      fields: { context: 'Exceptions', stack: 'Error: boom\n    at x' },
    });
    expect(nestLogEntry('Gave up', [undefined, 'IdempotencyInterceptor'], true)).toEqual({
      msg: 'Gave up',
      fields: { context: 'IdempotencyInterceptor' },
    });
  });

  it('should keep an Error as err and spread a plain object into the fields', () => {
    const error = new Error('boom');
    expect(nestLogEntry(error, ['Ctx'], true)).toEqual({ msg: 'boom', fields: { context: 'Ctx', err: error } });
    expect(nestLogEntry({ msg: 'done', count: 3 }, [], false)).toEqual({ msg: 'done', fields: { count: 3 } });
  });

  it('should keep extra arguments as details', () => {
    expect(nestLogEntry('a', [1, { b: 2 }, 'Ctx'], false)).toEqual({ msg: 'a', fields: { context: 'Ctx', details: [1, { b: 2 }] } });
  });
});
