import { addressProblem, WebhookUrlPolicy } from '@app/core';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/** The name resolves to an address the URL policy refuses (checked after resolution, so DNS cannot point past it). */
export class AddressNotAllowedError extends Error {
  override name = 'AddressNotAllowedError';
  readonly code = 'EADDRNOTALLOWED';
}

/**
 * A `lookup` for http(s).request that resolves like dns.lookup, then refuses the connection when any address the name
 * resolves to is one the URL policy forbids: a public name pointed at 169.254.169.254 or 10.0.0.1 never gets a request.
 */
export function guardedLookup(policy: WebhookUrlPolicy, resolve: Lookup = dnsLookup): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      for (const candidate of addresses) {
        const problem = addressProblem(candidate, policy);
        if (problem) return callback(new AddressNotAllowedError(`${hostname} resolves to a refused address: ${problem}`), address, family);
      }
      callback(null, address, family);
    });
  };
}
