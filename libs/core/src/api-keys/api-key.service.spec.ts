import { InvalidInputError } from '../errors/domain-error';
import { InMemoryApiKeyRepository } from '../testing/in-memory-api-key.repository';
import { SettableClock } from '../testing/settable-clock';
import { API_KEY_SCOPES } from './api-key';
import { ApiKeyNotFoundError } from './api-key.errors';
import { hashApiKeySecret } from './api-key-secret';
import { ApiKeySettings } from './api-key-settings';
import { ApiKeyService, ENVIRONMENT_KEY_ID } from './api-key.service';

describe(ApiKeyService.name, () => {
  const environmentKey = 'env-key-'.padEnd(40, 'x');
  let clock: SettableClock;
  let repository: InMemoryApiKeyRepository;
  let service: ApiKeyService;

  beforeEach(() => {
    clock = new SettableClock();
    repository = new InMemoryApiKeyRepository();
    service = new ApiKeyService(repository, clock, new ApiKeySettings(environmentKey));
  });

  it('should create a random key shown once, stored only as its hash, with a visible prefix', async () => {
    const { apiKey, secret } = await service.create({ name: ' CI deploy ', scopes: ['inventory:write', 'inventory:read'] });
    expect(secret).toMatch(/^irs_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'CI deploy',
      prefix: secret.slice(0, 12),
      scopes: ['inventory:write', 'inventory:read'],
      createdAt: clock.now(),
      revokedAt: null,
    });
    const stored = await repository.findByPrefix(apiKey.prefix);
    expect(stored?.secretHash).toBe(hashApiKeySecret(secret));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(await service.list())).not.toContain(stored!.secretHash);
    const other = await service.create({ name: 'other', scopes: ['keys:write'] });
    expect(other.secret).not.toBe(secret);
  });

  it('should authenticate its own keys, and nothing else', async () => {
    const { apiKey, secret } = await service.create({ name: 'shop', scopes: ['reservations:write'] });
    expect(await service.authenticate(secret)).toEqual(apiKey);
    const lastChar = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(await service.authenticate(`${secret.slice(0, -1)}${lastChar}`)).toBeNull();
    expect(await service.authenticate(`${secret}x`)).toBeNull();
    expect(await service.authenticate('')).toBeNull();
    expect(await service.authenticate('irs_unknown')).toBeNull();
  });

  it('should not query the repository for a secret that cannot be a key', async () => {
    const spy = jest.spyOn(repository, 'findByPrefix');
    expect(await service.authenticate('Bearer nonsense')).toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });

  it('should accept the environment key with every scope without reading the repository', async () => {
    const spy = jest.spyOn(repository, 'findByPrefix');
    expect(await service.authenticate(environmentKey)).toMatchObject({
      id: ENVIRONMENT_KEY_ID,
      scopes: [...API_KEY_SCOPES],
      revokedAt: null,
    });
    expect(await service.authenticate(environmentKey.slice(0, -1))).toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });

  it('should accept no environment key when none is configured', async () => {
    const withoutEnv = new ApiKeyService(repository, clock, new ApiKeySettings());
    expect(await withoutEnv.authenticate(environmentKey)).toBeNull();
  });

  it('should stop a revoked key at once and keep it in the list with its revocation time', async () => {
    const { apiKey, secret } = await service.create({ name: 'leaked', scopes: ['inventory:read'] });
    clock.advanceSeconds(60);
    const revoked = await service.revoke(apiKey.id);
    expect(revoked).toEqual({ ...apiKey, revokedAt: clock.now() });
    expect(await service.authenticate(secret)).toBeNull();
    clock.advanceSeconds(60);
    expect(await service.revoke(apiKey.id)).toEqual(revoked);
    expect(await service.list()).toEqual([revoked]);
  });

  it('should answer ApiKeyNotFoundError for an unknown id', async () => {
    await expect(service.revoke('00000000-0000-4000-8000-000000000000')).rejects.toThrow(ApiKeyNotFoundError);
  });

  it('should draw another secret when the visible prefix is taken', async () => {
    const insert = jest.spyOn(repository, 'insert').mockResolvedValueOnce({ status: 'duplicate_prefix' });
    const { apiKey } = await service.create({ name: 'retry', scopes: ['inventory:read'] });
    expect(insert).toHaveBeenCalledTimes(2);
    expect(await service.list()).toEqual([apiKey]);
  });

  it.each([
    [{ name: '  ', scopes: ['inventory:read'] }],
    [{ name: 'x'.repeat(101), scopes: ['inventory:read'] }],
    [{ name: 'ok', scopes: [] }],
    [{ name: 'ok', scopes: ['inventory:admin'] }],
  ])('should refuse invalid input %p', async (input) => {
    await expect(service.create(input as never)).rejects.toThrow(InvalidInputError);
  });
});
