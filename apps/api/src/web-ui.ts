import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { dirname, join } from 'node:path';

/** The web UI (plain HTML, CSS and JS); copied next to the compiled code by scripts/copy-assets.js. */
const PUBLIC_DIR = join(__dirname, '..', 'public');
/** uPlot's browser builds (npm `uplot`, a runtime dependency): served by the app itself, never from a CDN. */
const UPLOT_DIST = dirname(require.resolve('uplot'));
const UPLOT_FILES = new Set(['uPlot.esm.js', 'uPlot.min.css']);

/**
 * The storefront at `/`, the operations console at `/console.html` (and `/console`), and uPlot under `/vendor/uplot/`.
 * Only files that exist get routes (wildcard: false), so unknown paths still reach the 404 envelope.
 */
export function serveWebUi(app: NestFastifyApplication): void {
  app.useStaticAssets({ root: PUBLIC_DIR, prefix: '/', decorateReply: false, wildcard: false, index: ['index.html'] });
  app.useStaticAssets({
    root: UPLOT_DIST,
    prefix: '/vendor/uplot/',
    decorateReply: false,
    wildcard: false,
    allowedPath: (pathName) => UPLOT_FILES.has(pathName.replace(/^\//, '')),
  });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/console', (_request, reply) => reply.redirect('/console.html', 301));
}
