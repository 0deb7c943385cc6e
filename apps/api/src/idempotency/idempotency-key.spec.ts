import { RequestValidationError } from '../common/request-validation.error';
import { extractIdempotencyKey, requestFingerprint } from './idempotency-key';

describe(extractIdempotencyKey.name, () => {
  const request = (headers: Record<string, string>, body?: unknown) => ({ headers, body });

  it('should prefer Idempotency-Key, then X-Idempotency-Key, then the body', () => {
    expect(extractIdempotencyKey(request({ 'idempotency-key': 'h', 'x-idempotency-key': 'x' }, { idempotencyKey: 'b' }))).toBe('h');
    expect(extractIdempotencyKey(request({ 'x-idempotency-key': 'x' }, { idempotencyKey: 'b' }))).toBe('x');
    expect(extractIdempotencyKey(request({}, { idempotencyKey: 'b' }))).toBe('b');
    expect(extractIdempotencyKey(request({}, {}))).toBeUndefined();
  });

  it.each(['', ' k', 'k ', 'k'.repeat(256), 'a\tb', 'caf\u00e9'])('should reject %p', (key) => {
    expect(() => extractIdempotencyKey(request({ 'idempotency-key': key }))).toThrow(RequestValidationError);
  });

  it('should reject a non-string body key', () => {
    expect(() => extractIdempotencyKey(request({}, { idempotencyKey: 5 }))).toThrow(RequestValidationError);
  });

  it('should accept 255 printable characters with inner spaces', () => {
    const key = `a ${'b'.repeat(253)}`;
    expect(extractIdempotencyKey(request({ 'idempotency-key': key }))).toBe(key);
  });
});

describe(requestFingerprint.name, () => {
  it('should ignore key order and the body key itself', () => {
    expect(requestFingerprint('POST', 'reserve', { sku: 'A', quantity: 1, idempotencyKey: 'x' })).toBe(
      requestFingerprint('post', 'reserve', { quantity: 1, sku: 'A' }),
    );
  });

  it('should tell payloads, types, methods and scopes apart', () => {
    const base = requestFingerprint('POST', 'reserve', { sku: 'A', quantity: 1 });
    expect(requestFingerprint('POST', 'reserve', { sku: 'A', quantity: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', 'reserve', { sku: 'A', quantity: '1' })).not.toBe(base);
    expect(requestFingerprint('PUT', 'reserve', { sku: 'A', quantity: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', 'confirm', { sku: 'A', quantity: 1 })).not.toBe(base);
  });

  it('should tell path parameters apart, and leave routes without any as they were', () => {
    const base = requestFingerprint('POST', 'extend', { seconds: 60 }, { reservationId: 'a' });
    expect(requestFingerprint('POST', 'extend', { seconds: 60 }, { reservationId: 'b' })).not.toBe(base);
    expect(requestFingerprint('POST', 'extend', { seconds: 60 }, { reservationId: 'a' })).toBe(base);
    expect(requestFingerprint('POST', 'extend', { seconds: 60 })).not.toBe(base);
    expect(requestFingerprint('POST', 'reserve', { sku: 'A' }, {})).toBe(requestFingerprint('POST', 'reserve', { sku: 'A' }));
  });
});
