import helmet, { FastifyHelmetOptions } from '@fastify/helmet';
import { FastifyInstance, RouteOptions } from 'fastify';

type CspDirectives = Record<string, string[]>;

/**
 * For every response but the docs: the web UI (storefront, console, uPlot under /vendor/) loads only its own files and
 * needs no inline script or style; the JSON API loads nothing at all, so the same policy costs it nothing.
 */
export const STRICT_CSP: CspDirectives = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/**
 * Swagger UI's page (from @nestjs/swagger) has a `<style>` block and `style=` attributes, and its CSS uses data:
 * images. Its scripts are files (swagger-ui-init.js included), so scripts stay 'self'.
 */
export const DOCS_CSP: CspDirectives = {
  ...STRICT_CSP,
  'style-src': ["'self'", "'unsafe-inline'"],
};

export interface SecurityHeadersConfig {
  /** 0: no Strict-Transport-Security (the service may be reached over plain HTTP). */
  hstsMaxAgeSeconds: number;
}

/** Swagger UI's page and assets; not /docs-json, which is plain JSON. */
export function isDocsRoute(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/');
}

function helmetOptions(directives: CspDirectives, config: SecurityHeadersConfig): FastifyHelmetOptions {
  const https = config.hstsMaxAgeSeconds > 0;
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      // Upgrading subresources would break a deployment served over plain HTTP; only ask for it with HSTS.
      directives: https ? { ...directives, 'upgrade-insecure-requests': [] } : directives,
    },
    strictTransportSecurity: https ? { maxAge: config.hstsMaxAgeSeconds, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  };
}

/** Security headers (helmet) on every response: nosniff, CSP with frame-ancestors 'none', no-referrer, HSTS when configured. */
export async function registerSecurityHeaders(fastify: FastifyInstance, config: SecurityHeadersConfig): Promise<void> {
  const docs = helmetOptions(DOCS_CSP, config);
  // Per-route helmet options are @fastify/helmet's way to vary headers by route; Nest registers the docs
  // routes itself, so they are marked as they are added.
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (isDocsRoute(route.url)) route.config = { ...route.config, helmet: docs };
  });
  await fastify.register(helmet, helmetOptions(STRICT_CSP, config));
}
