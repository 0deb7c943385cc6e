import { addressProblem, webhookUrlProblem, WebhookUrlPolicy } from './webhook-url-policy';

const strict: WebhookUrlPolicy = { allowHttp: false, allowPrivateNetworks: false };
const open: WebhookUrlPolicy = { allowHttp: true, allowPrivateNetworks: true };

describe(webhookUrlProblem.name, () => {
  it('should accept a public https URL', () => {
    expect(webhookUrlProblem('https://hooks.example.com/inventory?x=1', strict)).toBeNull();
    expect(webhookUrlProblem('https://93.184.216.34:8443/hook', strict)).toBeNull();
  });

  it('should refuse http unless allowHttp, and every other scheme always', () => {
    expect(webhookUrlProblem('http://hooks.example.com/', strict)).toMatch(/https/);
    expect(webhookUrlProblem('http://hooks.example.com/', { ...strict, allowHttp: true })).toBeNull();
    expect(webhookUrlProblem('ftp://hooks.example.com/', open)).toMatch(/https or http/);
    expect(webhookUrlProblem('file:///etc/passwd', open)).not.toBeNull();
  });

  it('should refuse what is not an absolute URL, and URLs carrying credentials', () => {
    expect(webhookUrlProblem('hooks.example.com/path', open)).toMatch(/absolute/);
    expect(webhookUrlProblem('https://user:secret@hooks.example.com/', open)).toMatch(/credentials/);
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://169.254.1.1/',
    'https://[fe80::1]/',
    'https://[febf::1]/',
    'https://100.100.100.200/',
    'https://[fd00:ec2::254]/',
    'https://0.0.0.0/',
    'https://[::]/',
    'https://[::ffff:169.254.169.254]/',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://METADATA.GOOGLE.INTERNAL./',
    'https://metadata/',
    'https://instance-data.ec2.internal/',
  ])('should always refuse link-local, unspecified and metadata targets: %s', (url) => {
    expect(webhookUrlProblem(url, open)).not.toBeNull();
    expect(webhookUrlProblem(url, strict)).not.toBeNull();
  });

  it.each([
    'https://10.0.0.5/',
    'https://10.255.255.255/',
    'https://172.16.0.1/',
    'https://172.31.255.254/',
    'https://192.168.1.10/',
    'https://127.0.0.1:3000/',
    'https://127.8.8.8/',
    'https://[::1]/',
    'https://[fc00::1]/',
    'https://[fdff:ffff::1]/',
    'https://[::ffff:10.0.0.1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://localhost/',
    'https://api.localhost/',
  ])('should refuse private and loopback targets unless allowPrivateNetworks: %s', (url) => {
    expect(webhookUrlProblem(url, strict)).toMatch(/WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
    expect(webhookUrlProblem(url, { ...strict, allowPrivateNetworks: true })).toBeNull();
  });

  it.each(['https://172.15.255.255/', 'https://172.32.0.1/', 'https://192.169.0.1/', 'https://11.0.0.1/', 'https://[2001:db8::1]/'])(
    'should accept public neighbours of the private ranges: %s',
    (url) => {
      expect(webhookUrlProblem(url, strict)).toBeNull();
    },
  );
});

describe(addressProblem.name, () => {
  it('should judge a resolved address as the URL policy does', () => {
    expect(addressProblem('93.184.216.34', strict)).toBeNull();
    expect(addressProblem('169.254.169.254', open)).toMatch(/link-local/);
    expect(addressProblem('fe80::abcd', open)).toMatch(/link-local/);
    expect(addressProblem('10.1.2.3', strict)).toMatch(/private/);
    expect(addressProblem('10.1.2.3', open)).toBeNull();
  });

  it('should see through IPv4-mapped IPv6 addresses', () => {
    expect(addressProblem('::ffff:169.254.169.254', open)).toMatch(/link-local/);
    expect(addressProblem('::FFFF:192.168.0.1', strict)).toMatch(/private/);
    expect(addressProblem('::ffff:93.184.216.34', strict)).toBeNull();
  });
});
