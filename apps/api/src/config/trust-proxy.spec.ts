import { parseTrustProxy } from './trust-proxy';

describe(parseTrustProxy.name, () => {
  const parse = (raw: string | undefined) => {
    const problems: string[] = [];
    return { value: parseTrustProxy(raw, problems), problems };
  };

  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['FALSE', false],
    ['true', true],
    ['1', 1],
    [' 2 ', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8', ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('should read %p as %p', (raw, expected) => {
    expect(parse(raw)).toEqual({ value: expected, problems: [] });
  });

  it.each(['0', '11', 'yes', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', 'proxy.example.com', '10.0.0.0/x', '300.1.1.1'])(
    'should reject %p',
    (raw) => {
      const { value, problems } = parse(raw);
      expect(value).toBe(false);
      expect(problems).toEqual([expect.stringContaining('TRUST_PROXY')]);
    },
  );
});
