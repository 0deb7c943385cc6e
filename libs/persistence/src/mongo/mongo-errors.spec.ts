import { ConcurrentModificationError, ConflictError, DuplicateSkuError, stockOf } from '@app/core';
import { isDatabaseUnavailableError } from '../database-unavailable';
import { TransactionDeadlineError } from './mongo-handle/bounded-transaction';
import {
  hasErrorLabel,
  isDuplicateKey,
  mongoErrorCode,
  MongoCommitUnconfirmedError,
  translateMongoError,
  translateTransactionError,
} from './mongo-errors';

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

describe(translateTransactionError.name, () => {
  const labelled = (code: number, ...labels: string[]) =>
    Object.assign(new Error(`code ${code}`), { code, hasErrorLabel: (label: string) => labels.includes(label) });
  const caught = (error: unknown) => {
    try {
      translateTransactionError(error, stockOf('HOT-1'));
    } catch (thrown) {
      return thrown;
    }
    throw new Error('expected a throw');
  };

  it('should turn write conflicts that outlived the deadline into 409 CONCURRENT_MODIFICATION naming the SKU', () => {
    const thrown = caught(new TransactionDeadlineError(4000, labelled(112, 'TransientTransactionError')));
    expect(thrown).toBeInstanceOf(ConcurrentModificationError);
    expect(thrown).toMatchObject({ code: 'CONCURRENT_MODIFICATION', details: { sku: 'HOT-1' } });
  });

  it('should turn a transient error the driver gave up on into CONCURRENT_MODIFICATION too', () => {
    expect(caught(labelled(112, 'TransientTransactionError'))).toBeInstanceOf(ConcurrentModificationError);
  });

  it("should leave a failover error as it is (503), even as the deadline's cause", () => {
    const notPrimary = labelled(10107, 'TransientTransactionError');
    expect(caught(notPrimary)).toBe(notPrimary);
    const deadline = new TransactionDeadlineError(4000, notPrimary);
    expect(caught(deadline)).toBe(deadline);
    expect(isDatabaseUnavailableError(deadline)).toBe(true);
  });

  it('should turn an unconfirmed commit into a 503, never a 500', () => {
    const thrown = caught(labelled(50, 'UnknownTransactionCommitResult'));
    expect(thrown).toBeInstanceOf(MongoCommitUnconfirmedError);
    expect(isDatabaseUnavailableError(thrown)).toBe(true);
  });

  it('should rethrow anything else unchanged', () => {
    const refusal = new Error('Stock does not hold the hold');
    expect(caught(refusal)).toBe(refusal);
  });

  it('should read labels from plain errorLabels arrays and causes too', () => {
    expect(hasErrorLabel({ cause: { errorLabels: ['TransientTransactionError'] } }, 'TransientTransactionError')).toBe(true);
    expect(hasErrorLabel(new Error('x'), 'TransientTransactionError')).toBe(false);
  });
});
