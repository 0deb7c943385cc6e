type Headers = Record<string, string | string[] | undefined>;

export type PresentedKey = { kind: 'none' } | { kind: 'key'; secret: string } | { kind: 'ambiguous' };

const BEARER = /^Bearer[ \t]+(.+?)[ \t]*$/i;

/**
 * The key a request presents: `Authorization: Bearer <key>`, else `X-API-Key: <key>`. Another Authorization scheme
 * (Basic, ...) is not ours and counts as no key. Two different keys, or a header sent twice, are ambiguous.
 */
export function presentedKey(headers: Headers): PresentedKey {
  const authorization = headers.authorization;
  const apiKeyHeader = headers['x-api-key'];
  if (Array.isArray(authorization) || Array.isArray(apiKeyHeader)) return { kind: 'ambiguous' };
  const bearer = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  const header = apiKeyHeader?.trim() || undefined;
  if (bearer !== undefined && header !== undefined && bearer !== header) return { kind: 'ambiguous' };
  const secret = bearer ?? header;
  return secret === undefined ? { kind: 'none' } : { kind: 'key', secret };
}
