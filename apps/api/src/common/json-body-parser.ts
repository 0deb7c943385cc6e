import { FastifyInstance } from 'fastify';

const MAX_JSON_DEPTH = 32;

/**
 * Fastify's own JSON parser (prototype-poisoning protection included) plus a nesting limit: deeply
 * nested bodies would otherwise overflow the recursion of class-transformer and end as a 500.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  // The API speaks JSON only: a text/plain body is answered 415 instead of reaching validation as a string.
  fastify.removeContentTypeParser('text/plain');
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    // Fastify's default JSON parser is the callback form and returns nothing; its type also admits the promise form.
    void parse(request, body as string, (error: Error | null, json?: unknown) => {
      if (error) return done(error, undefined);
      if (nestingDepth(json) > MAX_JSON_DEPTH) {
        return done(Object.assign(new Error(`JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), { statusCode: 400 }), undefined);
      }
      done(null, json);
    });
  });
}

function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}
