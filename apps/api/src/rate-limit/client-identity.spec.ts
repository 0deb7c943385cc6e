import { clientIdentity } from './client-identity';

describe(clientIdentity.name, () => {
  it('should prefer the API key id over the address', () => {
    expect(clientIdentity({ apiKeyId: 'k_123', ip: '203.0.113.7' })).toBe('key:k_123');
  });

  it('should fall back to the IP address', () => {
    expect(clientIdentity({ ip: '203.0.113.7' })).toBe('ip:203.0.113.7');
    expect(clientIdentity({ ip: '::ffff:203.0.113.7' })).toBe('ip:203.0.113.7');
  });

  it('should count IPv6 clients by their /64', () => {
    expect(clientIdentity({ ip: '2001:db8:1:2:aaaa::1' })).toBe(clientIdentity({ ip: '2001:db8:1:2:bbbb::9' }));
    expect(clientIdentity({ ip: '2001:db8:1:2::1' })).not.toBe(clientIdentity({ ip: '2001:db8:1:3::1' }));
  });
});
