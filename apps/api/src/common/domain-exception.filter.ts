import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { isDatabaseUnavailableError } from '@app/persistence';
import { clientErrorResponse, DATABASE_UNAVAILABLE_RESPONSE, INTERNAL_ERROR_RESPONSE } from './error-response';

interface RequestLike {
  id?: string;
  method?: string;
  url?: string;
}

/**
 * Turns every error into the original service's envelope (see clientErrorResponse); anything unexpected is a 500
 * whose details go to the log with the request id, never into the body.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike>();
    let response = clientErrorResponse(exception);
    if (!response && isDatabaseUnavailableError(exception)) {
      this.logger.warn(`Database unavailable on ${request.method} ${request.url} (request ${request.id}): ${(exception as Error).message}`);
      response = DATABASE_UNAVAILABLE_RESPONSE;
    }
    if (!response) {
      this.logger.error(
        `Unexpected error on ${request.method} ${request.url} (request ${request.id})`,
        exception instanceof Error ? exception.stack : String(exception),
      );
      response = INTERNAL_ERROR_RESPONSE;
    }
    const reply: unknown = http.getResponse();
    for (const [name, value] of Object.entries(response.headers ?? {})) this.adapterHost.httpAdapter.setHeader(reply, name, value);
    this.adapterHost.httpAdapter.reply(reply, { ...response.body, requestId: request.id }, response.status);
  }
}
