import { Writable } from 'node:stream';
import { createAppLogger } from './app-logger';
import { resolveLogFormat } from './log-format';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('createAppLogger', () => {
  it('should write Nest calls as JSON lines with the level name and the context, below LOG_LEVEL nothing', () => {
    const out = capture();
    const logger = createAppLogger({ logLevels: ['fatal', 'error', 'warn', 'log'], logFormat: 'json' }, out.stream);
    logger.log('Listening on http://127.0.0.1:3000', 'Bootstrap');
    logger.error('Unexpected error', 'Error: boom\n    at x', 'Exceptions');
    logger.debug('not shown', 'Bootstrap');
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Bootstrap', msg: 'Listening on http://127.0.0.1:3000' }),
      expect.objectContaining({ level: 'error', context: 'Exceptions', msg: 'Unexpected error', stack: 'Error: boom\n    at x' }),
    ]);
  });

  it('should redact credentials in any logged headers', () => {
    const out = capture();
    const logger = createAppLogger({ logLevels: ['fatal', 'error', 'warn', 'log'], logFormat: 'json' }, out.stream);
    const headers = {
      authorization: 'Bearer secret-value',
      'x-api-key': 'other-secret',
      cookie: 'session=cookie-secret',
      accept: 'application/json',
    };
    logger.pino.info({ req: { headers } }, 'request');
    logger.pino.info({ headers, res: { headers: { 'set-cookie': 'session=cookie-secret' } } }, 'response');
    expect(out.text()).not.toMatch(/secret-value|other-secret|cookie-secret/);
    expect(out.text()).toContain('"authorization":"[redacted]"');
    expect(out.text()).toContain('"accept":"application/json"');
  });

  it('should write one human-readable line per entry in the text format', () => {
    const out = capture();
    const logger = createAppLogger({ logLevels: ['fatal', 'error', 'warn', 'log'], logFormat: 'text' }, out.stream);
    logger.warn('Rate limits counted per process', 'RateLimit');
    expect(out.text()).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] WARN: \[RateLimit\] Rate limits counted per process\n$/);
  });
});

describe(resolveLogFormat.name, () => {
  it('should choose text on a terminal and JSON elsewhere, unless told', () => {
    expect(resolveLogFormat('auto', { isTTY: true })).toBe('text');
    expect(resolveLogFormat('auto', { isTTY: undefined })).toBe('json');
    expect(resolveLogFormat('json', { isTTY: true })).toBe('json');
    expect(resolveLogFormat('text', {})).toBe('text');
  });
});
