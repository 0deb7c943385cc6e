import { FastifyInstance } from 'fastify';

/** CORS for browser clients on other origins: every method the API uses, and the headers scripts may read. */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

export const UNSUPPORTED_ENCODING_MESSAGE = 'Unsupported Content-Encoding: send the body uncompressed (identity)';

/**
 * Edges Fastify leaves open: it ignores Content-Encoding (a gzip body would reach the JSON parser as
 * garbage), and Swagger UI's relative asset paths break under `/docs/`.
 */
export function registerHttpEdges(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      throw Object.assign(new Error(UNSUPPORTED_ENCODING_MESSAGE), { statusCode: 415, code: 'UNSUPPORTED_CONTENT_ENCODING' });
    }
    const [path, query] = splitUrl(request.url);
    if (path === '/docs/') return reply.redirect(`/docs${query}`, 301);
  });
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at === -1 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}
