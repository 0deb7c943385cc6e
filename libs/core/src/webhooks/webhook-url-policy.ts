import { BlockList, isIP } from 'node:net';

export interface WebhookUrlPolicy {
  /** http:// URLs are accepted (WEBHOOK_ALLOW_HTTP). */
  allowHttp: boolean;
  /** Private, loopback and unique-local addresses are accepted (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
}

/** Never reachable from a webhook: link-local (where cloud metadata services live), and the metadata addresses. */
const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addAddress('100.100.100.200', 'ipv4');
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6');
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4');
FORBIDDEN.addAddress('::', 'ipv6');

/** Reachable only with allowPrivateNetworks. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['100.64.0.0', 10],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** Why a webhook may not be sent to this address (an IP literal or a resolved address), or null when it may. */
export function addressProblem(address: string, policy: WebhookUrlPolicy): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (FORBIDDEN.check(ip, family)) return `${address} is a link-local, unspecified or cloud metadata address`;
  if (!policy.allowPrivateNetworks && PRIVATE.check(ip, family)) {
    return `${address} is a private or loopback address (set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow)`;
  }
  return null;
}

/** Why this URL may not be a webhook endpoint, or null. Host names are checked again once resolved, when sending. */
export function webhookUrlProblem(value: string, policy: WebhookUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return policy.allowHttp ? 'url must use https or http' : 'url must use https (set WEBHOOK_ALLOW_HTTP=true to allow http)';
  }
  if (url.username || url.password) return 'url must not carry credentials';
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (METADATA_HOSTS.has(host)) return `${host} is a cloud metadata host`;
  if (isIP(host)) return addressProblem(host, policy);
  if ((host === 'localhost' || host.endsWith('.localhost')) && !policy.allowPrivateNetworks) {
    return `${host} is a loopback name (set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow)`;
  }
  return null;
}
