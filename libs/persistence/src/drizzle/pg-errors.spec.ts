import { ConflictError, DuplicateSkuError } from '@app/core';
import { isDeadlock, isUniqueViolation, pgError, translatePgError } from './pg-errors';

describe(translatePgError.name, () => {
  const wrapped = (code: string, constraint?: string) =>
    Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('driver'), { code, constraint }) });

  it("should turn a unique violation (23505) under Drizzle's wrapper into the core ConflictError", () => {
    expect(() => translatePgError(wrapped('23505', 'inventory_items_pkey'))).toThrow(ConflictError);
  });

  it('should turn a unique violation into the error the caller names', () => {
    expect(() => translatePgError(wrapped('23505', 'inventory_items_pkey'), () => new DuplicateSkuError('A'))).toThrow(DuplicateSkuError);
  });

  it('should tell unique violations and deadlocks under the wrapper', () => {
    expect(isUniqueViolation(wrapped('23505'))).toBe(true);
    expect(isDeadlock(wrapped('40P01'))).toBe(true);
    expect(isDeadlock(wrapped('23505'))).toBe(false);
  });

  it('should turn a check violation (23514) into a ConflictError naming the constraint', () => {
    expect(() => translatePgError(wrapped('23514', 'inventory_within_total'))).toThrow(/inventory_within_total/);
  });

  it('should rethrow anything else unchanged', () => {
    const error = wrapped('57P01');
    expect(() => translatePgError(error)).toThrow(error);
    const plain = new Error('boom');
    expect(() => translatePgError(plain)).toThrow(plain);
  });

  it('should ignore codes that are not SQLSTATEs (e.g. Node errno codes)', () => {
    expect(pgError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });
});
