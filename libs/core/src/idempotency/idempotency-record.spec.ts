import { claimOfExistingRecord } from './idempotency-record';

describe(claimOfExistingRecord.name, () => {
  it('should report a record without a response as in progress', () => {
    expect(claimOfExistingRecord({ fingerprint: 'fp', responseStatus: null, responseBody: null })).toEqual({
      status: 'in_progress',
      fingerprint: 'fp',
    });
  });

  it('should report a completed record with its response', () => {
    expect(claimOfExistingRecord({ fingerprint: 'fp', responseStatus: 201, responseBody: { id: 1 } })).toEqual({
      status: 'completed',
      fingerprint: 'fp',
      response: { statusCode: 201, body: { id: 1 } },
    });
  });

  it('should report contended when the record that refused the claim was gone when read', () => {
    expect(claimOfExistingRecord(null)).toEqual({ status: 'contended' });
  });
});
