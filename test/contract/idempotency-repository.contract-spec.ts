import { IdempotencyClaimRequest, IdempotencyCompletion, IdempotencyRepository, StoredResponse } from '@app/core';
import { randomUUID } from 'node:crypto';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';

const T0 = new Date('2026-01-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describeEachSubject('IdempotencyRepository contract', (subjectName) => {
  let subject: RepositorySubject;
  let repo: IdempotencyRepository;

  beforeAll(async () => {
    subject = await openSubject(subjectName);
    repo = subject.idempotency;
  });
  afterAll(() => subject.close());

  const request = (overrides: Partial<IdempotencyClaimRequest> = {}): IdempotencyClaimRequest => ({
    scope: 'reserve',
    key: randomUUID(),
    fingerprint: 'f'.repeat(64),
    token: randomUUID(),
    now: T0,
    leaseUntil: at(30),
    ...overrides,
  });
  const response = { statusCode: 201, body: { success: true, data: { reservationId: 'r-1', nested: [1, 'two'] } } };
  /** The completion of `claim` by `token` at `seconds` after T0, kept for a day. */
  const completion = (
    claim: IdempotencyClaimRequest,
    token: string,
    seconds: number,
    stored: StoredResponse = response,
  ): IdempotencyCompletion => ({
    scope: claim.scope,
    key: claim.key,
    token,
    response: stored,
    now: at(seconds),
    retainUntil: at(seconds + 86_400),
  });

  it('should claim a new key, store its response once, and report it as completed', async () => {
    const first = request();
    expect(await repo.claim(first)).toEqual({ status: 'claimed' });
    expect(await repo.complete(completion(first, first.token, 1))).toBe(true);
    expect(await repo.complete(completion(first, first.token, 2, { statusCode: 500, body: null }))).toBe(false);
    expect(await repo.claim(request({ key: first.key, now: at(3) }))).toEqual({
      status: 'completed',
      fingerprint: first.fingerprint,
      response,
    });
  });

  it('should report an in-progress key with its fingerprint while the lease runs', async () => {
    const first = request();
    await repo.claim(first);
    expect(await repo.claim(request({ key: first.key, fingerprint: 'a'.repeat(64), now: at(1) }))).toEqual({
      status: 'in_progress',
      fingerprint: first.fingerprint,
    });
  });

  it('should let a retry with the same fingerprint take over after the lease, and only the new owner complete', async () => {
    const first = request();
    await repo.claim(first);
    const retry = request({ key: first.key, now: at(31), leaseUntil: at(61) });
    expect(await repo.claim(retry)).toEqual({ status: 'claimed' });
    expect(await repo.complete(completion(first, first.token, 32))).toBe(false);
    expect(await repo.complete(completion(first, retry.token, 32))).toBe(true);
  });

  it('should not let another fingerprint take over an abandoned key', async () => {
    const first = request();
    await repo.claim(first);
    expect(await repo.claim(request({ key: first.key, fingerprint: 'b'.repeat(64), now: at(100) }))).toMatchObject({
      status: 'in_progress',
    });
  });

  it('should keep scopes apart', async () => {
    const first = request();
    await repo.claim(first);
    expect(await repo.claim(request({ key: first.key, scope: 'confirm' }))).toEqual({ status: 'claimed' });
  });

  it('should grant a key to exactly one of many concurrent claims', async () => {
    const key = randomUUID();
    const claims = await Promise.all(Array.from({ length: 10 }, () => repo.claim(request({ key }))));
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'in_progress')).toHaveLength(9);
  });

  it('should renew only an in-progress claim of the same token, keeping a retry out until the new lease ends', async () => {
    const first = request({ leaseUntil: at(10) });
    await repo.claim(first);
    expect(await repo.renew(first.scope, first.key, randomUUID(), at(100))).toBe(false);
    expect(await repo.renew(first.scope, first.key, first.token, at(40))).toBe(true);
    expect(await repo.claim(request({ key: first.key, now: at(20) }))).toMatchObject({ status: 'in_progress' });
    expect(await repo.claim(request({ key: first.key, now: at(41) }))).toEqual({ status: 'claimed' });
    expect(await repo.renew(first.scope, first.key, first.token, at(200))).toBe(false);
  });

  it('should not renew a completed record', async () => {
    const first = request();
    await repo.claim(first);
    await repo.complete(completion(first, first.token, 1));
    expect(await repo.renew(first.scope, first.key, first.token, at(100))).toBe(false);
  });

  it('should release only an in-progress claim of the same token', async () => {
    const first = request();
    await repo.claim(first);
    await repo.release(first.scope, first.key, randomUUID());
    expect(await repo.claim(request({ key: first.key, now: at(1) }))).toMatchObject({ status: 'in_progress' });
    await repo.release(first.scope, first.key, first.token);
    expect(await repo.claim(request({ key: first.key, now: at(2) }))).toEqual({ status: 'claimed' });
  });

  it('should purge records past retention but never a live claim', async () => {
    const done = request({ now: at(-100_000), leaseUntil: at(-99_970) });
    await repo.claim(done);
    await repo.complete(completion(done, done.token, -99_999));
    const live = request({ now: at(-100_000), leaseUntil: at(1_000) });
    await repo.claim(live);
    const fresh = request();
    await repo.claim(fresh);
    await repo.complete(completion(fresh, fresh.token, 1));

    expect(await repo.purgeCreatedBefore(at(-86_400), T0, 100)).toBeGreaterThanOrEqual(1);
    expect(await repo.claim(request({ key: done.key, now: at(2) }))).toEqual({ status: 'claimed' });
    expect(await repo.claim(request({ key: live.key, now: at(2) }))).toMatchObject({ status: 'in_progress' });
    expect(await repo.claim(request({ key: fresh.key, now: at(2) }))).toMatchObject({ status: 'completed' });
  });

  it('should answer a claim racing a release of the key as claimed, in progress or contended, never with an error', async () => {
    for (let round = 0; round < 10; round++) {
      const first = request();
      await repo.claim(first);
      const [, outcome] = await Promise.all([
        repo.release(first.scope, first.key, first.token),
        repo.claim(request({ key: first.key, now: at(1) })),
      ]);
      expect(['claimed', 'in_progress', 'contended']).toContain(outcome.status);
      if (outcome.status !== 'claimed') expect(await repo.claim(request({ key: first.key, now: at(2) }))).toEqual({ status: 'claimed' });
    }
  });

  if (subjectName === 'mongo') {
    it("should store the passed retain-until date as the completed record's purgeAt (TTL), and none while in progress", async () => {
      const first = request();
      await repo.claim(first);
      const purgeAt = async () => (await subject.mongo!.idempotency.findOne({ scope: first.scope, key: first.key }))?.purgeAt;
      expect(await purgeAt()).toBeNull();
      await repo.complete(completion(first, first.token, 5));
      expect(await purgeAt()).toEqual(at(5 + 86_400));
    });
  }
});
