// Shared HTTP client for the storefront and the operations console (ES module, no dependencies).
// Every call resolves (never throws) to { ok: true, status, data, message } or { ok: false, status, code, message, details, fields };
// status 0 means the request never got an answer (network error or timeout), so the caller may retry it.

export const API_BASE = '/api/v1';
export const DEFAULT_TIMEOUT_MS = 10_000;

const KEY_STORAGE = 'irs.apiKey';

/** The API key of this browser tab (sessionStorage only: it never goes in a URL or survives the tab). */
export const credentials = {
  get() {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  },
  set(key) {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  },
};

/** A fresh idempotency key (the API accepts 1-255 visible characters). */
export function newIdempotencyKey() {
  return crypto.randomUUID();
}

function networkFailure(timedOut) {
  return {
    ok: false,
    status: 0,
    code: timedOut ? 'TIMEOUT' : 'NETWORK',
    message: timedOut ? 'The server took too long to answer.' : 'The server could not be reached.',
    details: undefined,
    fields: [],
  };
}

function failureFrom(status, body) {
  const envelope = body && typeof body === 'object' ? body : {};
  return {
    ok: false,
    status,
    code: envelope.code || `HTTP_${status}`,
    message: envelope.message || `Request failed (${status})`,
    details: envelope.details,
    fields: Array.isArray(envelope.errors) ? envelope.errors : [],
    requestId: envelope.requestId,
  };
}

/**
 * One request to the API. Options: body (JSON), query (object; undefined/empty values left out), headers,
 * idempotencyKey, timeoutMs, signal (caller's abort), auth ('stored' default: send the tab's key when there is one;
 * 'none'; or a key string).
 */
export async function request(method, path, options = {}) {
  const { body, query, headers = {}, idempotencyKey, timeoutMs = DEFAULT_TIMEOUT_MS, signal, auth = 'stored' } = options;
  const url = API_BASE + path + queryString(query);
  const key = auth === 'stored' ? credentials.get() : auth === 'none' ? '' : auth;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) return failureFrom(response.status, parsed);
    return { ok: true, status: response.status, data: parsed && 'data' in parsed ? parsed.data : parsed, message: parsed?.message };
  } catch {
    if (signal?.aborted) return { ...networkFailure(false), code: 'ABORTED', message: 'Cancelled.' };
    return networkFailure(timedOut);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body, options = {}) => request('POST', path, { ...options, body });
export const put = (path, body, options = {}) => request('PUT', path, { ...options, body });
export const patch = (path, body, options = {}) => request('PATCH', path, { ...options, body });
export const del = (path, options) => request('DELETE', path, options);

/**
 * A write that must happen at most once: the key is made once and reused by every send() until the API has
 * answered (any status), so a retry after a network error cannot create a second effect.
 */
export function idempotentAttempt(method, path, body, options = {}) {
  const key = newIdempotencyKey();
  return {
    key,
    send: () => request(method, path, { ...options, body, idempotencyKey: key }),
  };
}

/** One line for a failed call, with the field messages of a validation error and the missing scope of a 403. */
export function describeError(failure) {
  if (failure.status === 0) return `${failure.message} Check the connection and try again.`;
  if (failure.status === 401) return `Not signed in or the key is unknown or revoked: ${failure.message}`;
  if (failure.status === 403 && failure.details?.requiredScope) {
    return `This key lacks the scope "${failure.details.requiredScope}" needed here.`;
  }
  const fields = failure.fields.flatMap((field) => field.messages || []);
  return fields.length > 0 ? fields.join('; ') : failure.message;
}

export function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Path segment encoding for SKUs and ids. */
export const segment = (value) => encodeURIComponent(value);
