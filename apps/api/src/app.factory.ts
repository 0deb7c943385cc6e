import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { CORS_EXPOSED_HEADERS, CORS_METHODS, registerHttpEdges } from './common/http-edges';
import { registerJsonBodyParser } from './common/json-body-parser';
import { registerSecurityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { installConnectionDrain, SERVE_WHILE_CLOSING } from './lifecycle/connection-drain';
import { capConnections, httpServerOptions } from './lifecycle/http-server-limits';
import { waitForRequestsInFlightOnClose } from './lifecycle/requests-in-flight';
import { AppLogger, createAppLogger } from './logging/app-logger';
import { registerRequestLog } from './logging/request-log';
import { setupSwagger } from './swagger';
import { serveWebUi } from './web-ui';

const API_PREFIX = 'api/v1';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

function createLogger(config: AppConfig): AppLogger {
  return createAppLogger(config);
}

/** Builds the fully configured (not yet listening) application; shared by main.ts and the e2e tests. */
export async function createApp(config: AppConfig, logger: LoggerService | false = createLogger(config)): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    ...httpServerOptions(config.http),
    ...SERVE_WHILE_CLOSING,
    // Reuse a caller's well-formed x-request-id so logs can be joined across services.
    genReqId: (request: IncomingMessage) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger,
    abortOnError: false,
    // Our own JSON parser below (same parser, plus a nesting limit).
    bodyParser: false,
  });
  registerJsonBodyParser(app.getHttpAdapter().getInstance(), config.bodyLimitBytes);
  registerHttpEdges(app.getHttpAdapter().getInstance());
  await registerSecurityHeaders(app.getHttpAdapter().getInstance(), config);
  capConnections(app.getHttpServer(), config.http.maxConnections);
  installConnectionDrain(app);
  waitForRequestsInFlightOnClose(app.getHttpAdapter().getInstance(), config.shutdown.timeoutMs);
  // A test's own recording logger gets Nest's lines only; the request lines need the service's logger.
  if (logger instanceof AppLogger) registerRequestLog(app.getHttpAdapter().getInstance(), logger);

  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/live', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({ origin: config.corsOrigin, methods: CORS_METHODS, exposedHeaders: CORS_EXPOSED_HEADERS });
  if (config.docsEnabled) setupSwagger(app, API_PREFIX, config.auth.customerKeyRequired);
  serveWebUi(app);
  return app;
}
