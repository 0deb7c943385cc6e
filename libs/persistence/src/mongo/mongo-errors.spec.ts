import { ConflictError, DuplicateSkuError } from '@app/core';
import { isDuplicateKey, mongoErrorCode, translateMongoError } from './mongo-errors';

describe(translateMongoError.name, () => {
  it('should turn a duplicate key (11000) into the core ConflictError, as PostgreSQL 23505 is', () => {
    expect(() => translateMongoError(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toThrow(ConflictError);
  });

  it('should find 11000 inside a bulk write error', () => {
    const bulk = Object.assign(new Error('bulk'), { writeErrors: [{ code: 11000 }] });
    expect(mongoErrorCode(bulk)).toBe(11000);
    expect(() => translateMongoError(bulk)).toThrow(ConflictError);
  });

  it('should turn a duplicate key into the error the caller names', () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    expect(isDuplicateKey(duplicate)).toBe(true);
    expect(() => translateMongoError(duplicate, () => new DuplicateSkuError('A'))).toThrow(DuplicateSkuError);
  });

  it('should turn a validator rejection (121) into a ConflictError', () => {
    expect(() => translateMongoError(Object.assign(new Error('Document failed validation'), { code: 121 }))).toThrow(/stock rules/);
  });

  it('should rethrow anything else unchanged', () => {
    const error = Object.assign(new Error('not primary'), { code: 10107 });
    expect(() => translateMongoError(error)).toThrow(error);
  });
});
