import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppMetrics } from './app-metrics';
import { METRICS_CONFIG } from './metrics.config';
import type { MetricsConfig } from './metrics.config';

/** The metrics port cannot be bound; one line at startup, no stack. */
export class MetricsPortUnavailableError extends Error {
  override name = 'MetricsPortUnavailableError';
}

/**
 * GET /metrics on a listener of its own (METRICS_PORT), apart from the API's port: a Service or ingress that routes
 * the API never exposes it, and a scrape is neither rate limited nor counted among the API's requests.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    private readonly metrics: AppMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const where = `${this.config.host}:${this.config.port}`;
        const advice = 'set METRICS_PORT to a free port, or METRICS_ENABLED=false';
        reject(new MetricsPortUnavailableError(`METRICS_PORT: ${where} cannot be bound (${error.code ?? error.message}): ${advice}`));
      });
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`Metrics at http://${this.config.host}:${this.port()}/metrics`);
  }

  /** The bound port, once listening. */
  port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  /** After the API has stopped: a scrape during the drain still sees the last requests. */
  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    try {
      const body = await this.metrics.registry.metrics();
      response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error(`Could not collect the metrics: ${String(error)}`);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('Could not collect the metrics\n');
    }
  }
}
