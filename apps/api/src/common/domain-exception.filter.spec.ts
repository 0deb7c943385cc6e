import { ConflictError, InventoryNotFoundError, MissingScopeError, StockRuleViolationError, UnauthenticatedError } from '@app/core';
import { ArgumentsHost, Logger, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainExceptionFilter } from './domain-exception.filter';
import { RequestValidationError } from './request-validation.error';

describe(DomainExceptionFilter.name, () => {
  const reply = jest.fn();
  const setHeader = jest.fn();
  const filter = new DomainExceptionFilter({ httpAdapter: { reply, setHeader } } as unknown as HttpAdapterHost);
  const request = { id: 'req-1', method: 'POST', url: '/api/v1/x' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => 'response' }),
  } as unknown as ArgumentsHost;

  beforeEach(() => {
    reply.mockClear();
    setHeader.mockClear();
  });

  const sent = (exception: unknown) => {
    filter.catch(exception, host);
    const [response, body, status] = reply.mock.calls[0];
    expect(response).toBe('response');
    return { status, body };
  };

  it('should map domain errors by kind, keeping their stable code and details', () => {
    expect(sent(new InventoryNotFoundError('A'))).toEqual({
      status: 404,
      body: {
        success: false,
        message: "Inventory item 'A' not found",
        code: 'INVENTORY_NOT_FOUND',
        details: { sku: 'A' },
        requestId: 'req-1',
      },
    });
    reply.mockClear();
    expect(sent(new StockRuleViolationError('A', 'rule')).status).toBe(409);
    reply.mockClear();
    expect(sent(new ConflictError('x')).body.code).toBe('CONFLICT');
  });

  it('should answer 401 with a Bearer challenge, and 403 naming the missing scope', () => {
    expect(sent(new UnauthenticatedError())).toMatchObject({ status: 401, body: { success: false, code: 'UNAUTHENTICATED' } });
    expect(setHeader).toHaveBeenCalledWith('response', 'WWW-Authenticate', expect.stringMatching(/^Bearer /));
    reply.mockClear();
    setHeader.mockClear();
    expect(sent(new MissingScopeError('keys:write'))).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN', details: { requiredScope: 'keys:write' }, message: expect.stringContaining("'keys:write'") },
    });
    expect(setHeader).not.toHaveBeenCalled();
  });

  it('should list field errors for validation failures', () => {
    const { status, body } = sent(new RequestValidationError([{ field: 'sku', messages: ['sku must be a string'] }]));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'Validation failed: sku must be a string',
      errors: [{ field: 'sku' }],
    });
  });

  it('should keep the status of HTTP exceptions', () => {
    expect(sent(new NotFoundException('Cannot GET /x'))).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'Cannot GET /x' },
    });
    reply.mockClear();
    expect(sent(new PayloadTooLargeException()).status).toBe(413);
  });

  it('should answer a rate limit rejection as 429 RATE_LIMITED with its message', () => {
    expect(sent(new ThrottlerException('Too many requests: retry in 7 seconds'))).toMatchObject({
      status: 429,
      body: { success: false, code: 'RATE_LIMITED', message: 'Too many requests: retry in 7 seconds', requestId: 'req-1' },
    });
  });

  it('should keep 4xx errors raised by the HTTP platform', () => {
    const error = Object.assign(new Error('too big'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(sent(error)).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' } });
  });

  it('should answer 503 when the database is unreachable', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = Object.assign(new Error('Failed query'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(sent(error)).toMatchObject({ status: 503, body: { code: 'DATABASE_UNAVAILABLE' } });
    warn.mockRestore();
  });

  it('should answer 500 with a generic message and log the cause with the request id', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { status, body } = sent(new TypeError('secret internals'));
    expect(status).toBe(500);
    expect(body).toEqual({ success: false, message: 'Internal server error', code: 'INTERNAL_ERROR', requestId: 'req-1' });
    expect(JSON.stringify(body)).not.toContain('secret internals');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('req-1'), expect.stringContaining('secret internals'));
    log.mockRestore();
  });
});
