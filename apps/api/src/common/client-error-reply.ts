import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { ErrorEnvelope } from './api-envelope';

interface ClientErrorAnswer {
  status: number;
  code: string;
  message: string;
}

function answerFor(error: NodeJS.ErrnoException): ClientErrorAnswer {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request (headers and body) did not arrive within the request timeout' };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'Request headers are too large' };
  return { status: 400, code: 'BAD_REQUEST', message: 'Malformed HTTP request' };
}

/**
 * Fastify's clientErrorHandler: errors Node's HTTP parser raises before a request reaches Fastify (a request
 * that timed out, malformed or oversized headers). Answers in the service's envelope instead of Fastify's
 * bare body, then closes the connection. Like Node's default, it writes nothing once a response has started.
 */
export function replyToClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const { status, code, message } = answerFor(error);
    const envelope: ErrorEnvelope = { success: false, message, code, requestId: randomUUID() };
    const body = JSON.stringify(envelope);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
