import { ApiKeyRepository, StoredApiKey } from '@app/core';
import { randomBytes, randomUUID } from 'node:crypto';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';

const T0 = new Date('2026-01-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describeEachSubject('ApiKeyRepository contract', (subjectName) => {
  let subject: RepositorySubject;
  let repo: ApiKeyRepository;

  beforeAll(async () => {
    subject = await openSubject(subjectName);
    repo = subject.apiKeys;
  });
  afterAll(() => subject.close());

  const key = (overrides: Partial<StoredApiKey> = {}): StoredApiKey => ({
    id: randomUUID(),
    name: 'CI deploy',
    prefix: `irs_${randomBytes(6).toString('base64url')}`,
    secretHash: randomBytes(32).toString('hex'),
    scopes: ['inventory:read', 'inventory:write'],
    createdAt: T0,
    revokedAt: null,
    ...overrides,
  });
  const withoutHash = ({ secretHash: _hash, ...rest }: StoredApiKey) => rest;

  it('should insert a key and find it by its prefix, hash and scopes included', async () => {
    const stored = key({ scopes: ['keys:write', 'reservations:write', 'webhooks:write'] });
    expect(await repo.insert(stored)).toEqual({ status: 'inserted' });
    expect(await repo.findByPrefix(stored.prefix)).toEqual(stored);
    expect(await repo.findByPrefix('irs_nothing1')).toBeNull();
  });

  it('should refuse a second key with the same prefix and keep the first', async () => {
    const first = key();
    await repo.insert(first);
    expect(await repo.insert(key({ prefix: first.prefix }))).toEqual({ status: 'duplicate_prefix' });
    expect(await repo.findByPrefix(first.prefix)).toEqual(first);
  });

  it('should list keys oldest first without their hashes', async () => {
    const later = key({ name: 'later', createdAt: at(20) });
    const earlier = key({ name: 'earlier', createdAt: at(10) });
    await repo.insert(later);
    await repo.insert(earlier);
    const listed = await repo.list();
    const ours = listed.filter((k) => k.id === later.id || k.id === earlier.id);
    expect(ours).toEqual([withoutHash(earlier), withoutHash(later)]);
    expect(JSON.stringify(listed)).not.toContain(earlier.secretHash);
    for (const listedKey of listed) expect(listedKey).not.toHaveProperty('secretHash');
  });

  it('should revoke an active key once, report it as already revoked after, and not_found for an unknown id', async () => {
    const stored = key();
    await repo.insert(stored);
    expect(await repo.revokeIfActive(stored.id, at(5))).toEqual({
      status: 'revoked',
      apiKey: { ...withoutHash(stored), revokedAt: at(5) },
    });
    expect(await repo.revokeIfActive(stored.id, at(9))).toEqual({
      status: 'already_revoked',
      apiKey: { ...withoutHash(stored), revokedAt: at(5) },
    });
    expect(await repo.findByPrefix(stored.prefix)).toEqual({ ...stored, revokedAt: at(5) });
    expect(await repo.revokeIfActive(randomUUID(), at(5))).toEqual({ status: 'not_found' });
  });

  it('should let exactly one of concurrent revocations win', async () => {
    const stored = key();
    await repo.insert(stored);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => repo.revokeIfActive(stored.id, at(i + 1))));
    expect(results.filter((r) => r.status === 'revoked')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already_revoked')).toHaveLength(5);
  });
});
