import { OpenAPIObject } from '@nestjs/swagger';
import { getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

export type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = { description: string; headers?: Record<string, unknown>; content?: unknown };

export const ERROR_CONTENT = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } };
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Errors any API operation can answer, whatever its handler does. */
const PLATFORM_ERRORS: Record<string, string> = {
  429: 'Too many requests from this client (code RATE_LIMITED); retry after Retry-After seconds',
  503: 'The database is unavailable (code DATABASE_UNAVAILABLE); retry shortly',
};
/** Errors of operations that take a JSON body. */
const BODY_ERRORS: Record<string, string> = {
  413: 'The body is larger than BODY_LIMIT_BYTES (code PAYLOAD_TOO_LARGE)',
  415: 'The body is not JSON, or is compressed (code UNSUPPORTED_MEDIA_TYPE)',
};

const REQUEST_ID_HEADER = {
  description: 'Id of this request (a well-formed incoming x-request-id is reused); errors carry it as requestId',
  schema: { type: 'string' },
};
const REPLAYED_HEADER = {
  description: '"true" when this response is the stored response of an earlier request with the same Idempotency-Key',
  schema: { type: 'string', enum: ['true'] },
};

/**
 * Adds what every operation shares, so no controller has to repeat it: the platform's error responses,
 * the x-request-id response header, and Idempotent-Replayed on operations that take an Idempotency-Key.
 */
export function describeCommonResponses(document: OpenAPIObject, apiPrefix: string): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: Operation | undefined = item[method];
      if (!operation) continue;
      if (path.startsWith(apiPrefix)) {
        addErrors(operation, PLATFORM_ERRORS);
        if (operation.requestBody) addErrors(operation, BODY_ERRORS);
      }
      const idempotent = (operation.parameters ?? []).some((p) => 'in' in p && p.in === 'header' && p.name === 'Idempotency-Key');
      for (const response of Object.values(operation.responses) as ResponseObject[]) {
        response.headers = {
          ...response.headers,
          'x-request-id': REQUEST_ID_HEADER,
          ...(idempotent ? { 'Idempotent-Replayed': REPLAYED_HEADER } : {}),
        };
      }
    }
  }
}

function addErrors(operation: Operation, errors: Record<string, string>): void {
  for (const [status, description] of Object.entries(errors)) {
    operation.responses[status] ??= { description, content: ERROR_CONTENT };
  }
}
