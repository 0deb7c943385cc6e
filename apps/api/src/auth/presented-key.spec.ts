import { presentedKey } from './presented-key';

describe(presentedKey.name, () => {
  it('should read a Bearer token (any case) or X-API-Key', () => {
    expect(presentedKey({ authorization: 'Bearer irs_abc' })).toEqual({ kind: 'key', secret: 'irs_abc' });
    expect(presentedKey({ authorization: 'bearer   irs_abc ' })).toEqual({ kind: 'key', secret: 'irs_abc' });
    expect(presentedKey({ 'x-api-key': ' irs_abc ' })).toEqual({ kind: 'key', secret: 'irs_abc' });
    expect(presentedKey({ authorization: 'Bearer irs_abc', 'x-api-key': 'irs_abc' })).toEqual({ kind: 'key', secret: 'irs_abc' });
    // Malformed, but a Bearer credential: it is checked (and fails) rather than ignored.
    expect(presentedKey({ authorization: 'Bearer two words' })).toEqual({ kind: 'key', secret: 'two words' });
  });

  it('should count another scheme, or nothing, as no key', () => {
    expect(presentedKey({})).toEqual({ kind: 'none' });
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual({ kind: 'none' });
    expect(presentedKey({ 'x-api-key': '' })).toEqual({ kind: 'none' });
  });

  it('should call two different keys, or a repeated header, ambiguous', () => {
    expect(presentedKey({ authorization: 'Bearer one', 'x-api-key': 'two' })).toEqual({ kind: 'ambiguous' });
    expect(presentedKey({ 'x-api-key': ['one', 'two'] })).toEqual({ kind: 'ambiguous' });
  });
});
