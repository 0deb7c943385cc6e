import { errorCodeOf, reservationOutcome } from './reservation-outcome';

describe('reservationOutcome', () => {
  it.each([
    [201, undefined, false, 'reserved'],
    [201, undefined, true, 'replayed'],
    [409, 'INSUFFICIENT_STOCK', true, 'replayed'],
    [409, 'INSUFFICIENT_STOCK', false, 'insufficient'],
    [409, 'PER_CUSTOMER_LIMIT_EXCEEDED', false, 'per_customer_limit'],
    [409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS', false, 'in_progress'],
    [409, 'CONCURRENT_MODIFICATION', false, 'error'],
    [404, 'INVENTORY_NOT_FOUND', false, 'not_found'],
    [422, 'IDEMPOTENCY_KEY_REUSED', false, 'key_reused'],
    [400, 'VALIDATION_FAILED', false, 'invalid'],
    [429, 'RATE_LIMITED', false, 'rate_limited'],
    [401, 'UNAUTHENTICATED', false, 'unauthorized'],
    [500, 'INTERNAL_ERROR', false, 'error'],
    [503, 'DATABASE_UNAVAILABLE', false, 'error'],
  ] as const)('status %i, code %s, replayed %s: %s', (status, code, replayed, outcome) => {
    expect(reservationOutcome(status, code, replayed)).toBe(outcome);
  });
});

describe('errorCodeOf', () => {
  it('should read the code of a serialized error envelope', () => {
    expect(errorCodeOf('{"success":false,"code":"INSUFFICIENT_STOCK"}')).toBe('INSUFFICIENT_STOCK');
  });

  it('should give undefined for anything else', () => {
    expect(errorCodeOf('{"success":true}')).toBeUndefined();
    expect(errorCodeOf('{not json')).toBeUndefined();
    expect(errorCodeOf(Buffer.from('{"code":"X"}'))).toBeUndefined();
    expect(errorCodeOf(undefined)).toBeUndefined();
  });
});
