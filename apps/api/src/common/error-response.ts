import { DomainError, DomainErrorKind } from '@app/core';
import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorEnvelope } from './api-envelope';
import { RequestValidationError } from './request-validation.error';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  gone: HttpStatus.GONE,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
};

/** RFC 6750: a 401 names the scheme the client should use. */
const AUTHENTICATION_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="inventory-reservation-service"' };

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  410: 'GONE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

const UNSUPPORTED_MEDIA_TYPE_MESSAGE = 'Unsupported Content-Type: send application/json';

export interface ErrorResponse {
  status: number;
  body: ErrorEnvelope;
  headers?: Record<string, string>;
}

/** Errors raised by the HTTP platform itself (e.g. Fastify's body parser) carry a 4xx statusCode. */
interface PlatformError extends Error {
  statusCode: number;
  code?: string;
}

/**
 * The response a known client error maps to: domain errors by kind, HTTP and platform errors by
 * their own status. Null for anything else, which the filter answers as a logged 500.
 */
export function clientErrorResponse(exception: unknown): ErrorResponse | null {
  if (exception instanceof DomainError) {
    return {
      status: STATUS_BY_KIND[exception.kind],
      body: { success: false, message: exception.message, code: exception.code, details: exception.details },
      ...(exception.kind === 'unauthenticated' ? { headers: AUTHENTICATION_CHALLENGE } : {}),
    };
  }
  if (exception instanceof RequestValidationError) {
    return {
      status: HttpStatus.BAD_REQUEST,
      body: { success: false, message: exception.message, code: 'VALIDATION_FAILED', errors: exception.fieldErrors },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) return null;
    const message = status === HttpStatus.UNSUPPORTED_MEDIA_TYPE ? UNSUPPORTED_MEDIA_TYPE_MESSAGE : httpMessage(exception);
    return { status, body: { success: false, message, code: CODE_BY_STATUS[status] ?? 'HTTP_ERROR' } };
  }
  if (isPlatformClientError(exception)) {
    return {
      status: exception.statusCode,
      body: { success: false, message: platformMessage(exception), code: CODE_BY_STATUS[exception.statusCode] ?? 'HTTP_ERROR' },
    };
  }
  return null;
}

export const DATABASE_UNAVAILABLE_RESPONSE: ErrorResponse = {
  status: HttpStatus.SERVICE_UNAVAILABLE,
  body: { success: false, message: 'The database is unavailable; retry shortly', code: 'DATABASE_UNAVAILABLE' },
};

export const INTERNAL_ERROR_RESPONSE: ErrorResponse = {
  status: HttpStatus.INTERNAL_SERVER_ERROR,
  body: { success: false, message: 'Internal server error', code: 'INTERNAL_ERROR' },
};

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function isPlatformClientError(error: unknown): error is PlatformError {
  const statusCode = (error as PlatformError | undefined)?.statusCode;
  return error instanceof Error && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

function platformMessage(error: PlatformError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `Malformed JSON body: ${error.message}`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return UNSUPPORTED_MEDIA_TYPE_MESSAGE;
    default:
      return error.message;
  }
}
