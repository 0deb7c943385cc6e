import { InMemoryStore } from '../testing/in-memory-store';
import { InMemoryWebhookRepository } from '../testing/in-memory-webhook.repository';
import { SettableClock } from '../testing/settable-clock';
import { WebhookService } from './webhook.service';
import { WebhookSettings } from './webhook-settings';
import { WebhookNotFoundError, WebhookUrlError } from './webhooks.errors';

describe(WebhookService.name, () => {
  let clock: SettableClock;
  let repository: InMemoryWebhookRepository;
  let service: WebhookService;

  beforeEach(() => {
    clock = new SettableClock();
    repository = new InMemoryWebhookRepository(new InMemoryStore());
    service = new WebhookService(repository, clock, new WebhookSettings({ allowHttp: false, allowPrivateNetworks: false }));
  });

  describe('create', () => {
    it('should store the endpoint with a fresh whsec_ secret, its events without repeats, at the clock time', async () => {
      const endpoint = await service.create({
        url: 'https://hooks.example.com/in',
        events: ['inventory.low_stock', 'reservation.created', 'inventory.low_stock'],
      });
      expect(endpoint).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: 'https://hooks.example.com/in',
        events: ['inventory.low_stock', 'reservation.created'],
        description: null,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
        createdAt: clock.now(),
        disabledAt: null,
      });
      expect(await repository.findById(endpoint.id)).toEqual(endpoint);
    });

    it('should give each endpoint its own secret', async () => {
      const a = await service.create({ url: 'https://a.example.com/', events: ['*'] });
      const b = await service.create({ url: 'https://b.example.com/', events: ['*'], description: 'B' });
      expect(a.secret).not.toBe(b.secret);
      expect(b.description).toBe('B');
    });

    it.each(['http://hooks.example.com/', 'https://127.0.0.1/', 'https://169.254.169.254/', 'not a url'])(
      'should refuse %s with WebhookUrlError and store nothing',
      async (url) => {
        const failure = service.create({ url, events: ['*'] });
        await expect(failure).rejects.toBeInstanceOf(WebhookUrlError);
        await expect(failure).rejects.toMatchObject({ code: 'INVALID_WEBHOOK_URL', kind: 'invalid', details: { url } });
        expect(await repository.list()).toEqual([]);
      },
    );

    it('should accept http and private addresses when the settings allow them', async () => {
      const relaxed = new WebhookService(repository, clock, new WebhookSettings({ allowHttp: true, allowPrivateNetworks: true }));
      await expect(relaxed.create({ url: 'http://127.0.0.1:4000/hook', events: ['*'] })).resolves.toMatchObject({
        url: 'http://127.0.0.1:4000/hook',
      });
      await expect(relaxed.create({ url: 'http://169.254.169.254/', events: ['*'] })).rejects.toBeInstanceOf(WebhookUrlError);
    });
  });

  describe('list', () => {
    it('should list the endpoints newest first, as the repository keeps them (the API strips the secrets)', async () => {
      const first = await service.create({ url: 'https://a.example.com/', events: ['*'] });
      clock.advanceSeconds(1);
      const second = await service.create({ url: 'https://b.example.com/', events: ['inventory.created'] });
      expect(await service.list()).toEqual([second, first]);
    });
  });

  describe('remove', () => {
    it('should delete an endpoint, then answer WebhookNotFoundError', async () => {
      const endpoint = await service.create({ url: 'https://a.example.com/', events: ['*'] });
      await service.remove(endpoint.id);
      expect(await repository.findById(endpoint.id)).toBeNull();
      await expect(service.remove(endpoint.id)).rejects.toBeInstanceOf(WebhookNotFoundError);
      await expect(service.remove(endpoint.id)).rejects.toMatchObject({ kind: 'not_found', code: 'WEBHOOK_NOT_FOUND' });
    });
  });

  describe('recentAttempts', () => {
    it('should answer WebhookNotFoundError for an unknown endpoint, and [] for one never tried', async () => {
      await expect(service.recentAttempts('nope', 10)).rejects.toBeInstanceOf(WebhookNotFoundError);
      const endpoint = await service.create({ url: 'https://a.example.com/', events: ['*'] });
      expect(await service.recentAttempts(endpoint.id, 10)).toEqual([]);
    });
  });
});
