// The storefront's calls: customer routes, sent with the shopper's customer key when one is set (never the console's key).
import { idempotentAttempt, request, segment } from '../shared/api.js';
import { settings } from './settings.js';

const customerAuth = () => settings.customerKey() || 'none';

export const getAvailability = (skus) => request('GET', '/inventory', { query: { skus: skus.join(',') }, auth: customerAuth() });
export const getProduct = (sku) => request('GET', `/inventory/${segment(sku)}`, { auth: customerAuth() });
export const getHold = (id) => request('GET', `/reservations/${segment(id)}`, { auth: customerAuth() });

/**
 * A write that keeps its idempotency key (and the key it is sent with: keys are remembered per client) until it
 * gets an answer, so "Try again" after a network error can never act twice.
 */
export const attemptReserve = (body) => idempotentAttempt('POST', '/reservations', body, { auth: customerAuth() });
export const attemptExtend = (id, seconds) =>
  idempotentAttempt('POST', `/reservations/${segment(id)}/extend`, { seconds }, { auth: customerAuth() });
export const attemptRelease = (id, items) =>
  idempotentAttempt('POST', `/reservations/${segment(id)}/release`, { items }, { auth: customerAuth() });
export const attemptConfirm = (id) => idempotentAttempt('POST', '/checkout/confirm', { reservationId: id }, { auth: customerAuth() });
export const attemptCancel = (id) => idempotentAttempt('POST', '/checkout/cancel', { reservationId: id }, { auth: customerAuth() });

/**
 * No final answer yet: nothing reached the server, it was busy (429), failed (5xx, never stored for the key) or is
 * still running the first send. Sending the same attempt again is safe.
 */
export const unanswered = (result) =>
  !result.ok && (result.status === 0 || result.status === 429 || result.status >= 500 || result.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS');
