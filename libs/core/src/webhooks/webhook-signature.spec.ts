import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signWebhook } from './webhook-signature';

/** Verified with the Standard Webhooks reference library, never with our own code. */
describe(signWebhook.name, () => {
  const body = JSON.stringify({ id: 'evt-1', type: 'inventory.low_stock', data: { item: { sku: 'A' } } });
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const headers = (id: string, timestamp: number, signature: string) => ({
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  });

  it('should produce a signature the standardwebhooks library accepts', () => {
    const secret = newWebhookSecret();
    const timestamp = nowSeconds();
    const signature = signWebhook(secret, 'evt-1', timestamp, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers('evt-1', timestamp, signature))).toEqual(JSON.parse(body));
  });

  it('should be refused by the library for another body, id, timestamp or secret', () => {
    const secret = newWebhookSecret();
    const timestamp = nowSeconds();
    const signature = signWebhook(secret, 'evt-1', timestamp, body);
    const verifier = new Webhook(secret);
    expect(() => verifier.verify(body.replace('low_stock', 'out_of_stock'), headers('evt-1', timestamp, signature))).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifier.verify(body, headers('evt-2', timestamp, signature))).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(body, headers('evt-1', timestamp - 1, signature))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers('evt-1', timestamp, signature))).toThrow(WebhookVerificationError);
  });

  it('should sign with the same key as the library for a secret given without its prefix', () => {
    const secret = newWebhookSecret();
    const timestamp = nowSeconds();
    const bare = secret.slice('whsec_'.length);
    expect(signWebhook(bare, 'evt-1', timestamp, body)).toBe(signWebhook(secret, 'evt-1', timestamp, body));
    expect(() => new Webhook(bare).verify(body, headers('evt-1', timestamp, signWebhook(bare, 'evt-1', timestamp, body)))).not.toThrow();
  });
});

describe(newWebhookSecret.name, () => {
  it('should be whsec_ and base64 of 32 random bytes, different each time', () => {
    const secrets = [newWebhookSecret(), newWebhookSecret()];
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    }
    expect(secrets[0]).not.toBe(secrets[1]);
  });
});
