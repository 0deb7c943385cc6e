import { LookupAddress } from 'node:dns';
import { AddressNotAllowedError, guardedLookup, Lookup } from './guarded-lookup';

/** A resolver that answers every name with `answer`, as dns.lookup does for `all` or a single address. */
const resolvingTo =
  (...answer: LookupAddress[]): Lookup =>
  (_hostname, options, callback) =>
    options.all ? callback(null, answer) : callback(null, answer[0].address, answer[0].family);

const run = (lookup: Lookup, all: boolean) =>
  new Promise<{ error: Error | null; address: unknown }>((resolve) =>
    lookup('hooks.example.com', { all }, (error, address) => resolve({ error, address })),
  );

describe(guardedLookup.name, () => {
  const strict = { allowHttp: false, allowPrivateNetworks: false };

  it('should pass a public address through, single or all', async () => {
    const lookup = guardedLookup(strict, resolvingTo({ address: '93.184.216.34', family: 4 }));
    expect(await run(lookup, false)).toEqual({ error: null, address: '93.184.216.34' });
    expect(await run(lookup, true)).toEqual({ error: null, address: [{ address: '93.184.216.34', family: 4 }] });
  });

  it('should refuse a public name that resolves to the cloud metadata address, whatever the policy', async () => {
    const lookup = guardedLookup({ allowHttp: true, allowPrivateNetworks: true }, resolvingTo({ address: '169.254.169.254', family: 4 }));
    const { error } = await run(lookup, false);
    expect(error).toBeInstanceOf(AddressNotAllowedError);
    expect(error?.message).toContain('hooks.example.com resolves to a refused address: 169.254.169.254 is a link-local');
  });

  it('should refuse a name with any private address among its answers unless private networks are allowed', async () => {
    const answer = resolvingTo({ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 });
    expect((await run(guardedLookup(strict, answer), true)).error).toBeInstanceOf(AddressNotAllowedError);
    expect((await run(guardedLookup({ ...strict, allowPrivateNetworks: true }, answer), true)).error).toBeNull();
  });

  it('should refuse an IPv4-mapped IPv6 loopback address', async () => {
    const lookup = guardedLookup(strict, resolvingTo({ address: '::ffff:127.0.0.1', family: 6 }));
    expect((await run(lookup, false)).error).toBeInstanceOf(AddressNotAllowedError);
  });
});
