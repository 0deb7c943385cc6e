// What happened, in a shopper's words. Each function takes a failed call ({ status, code, message, details, fields }).

import { describeError } from '../shared/api.js';

/** A name for a SKU: the product name when the page has seen it. */
export const nameOf = (names, sku) => names.get(sku) || sku;

export const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

const minutes = (seconds) => (seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`);

/** The customer key is missing or may not do this; null for any other failure. */
export function keyProblem(failure) {
  if (failure.status === 401) return 'This shop asks for a customer key: enter one under "Shop settings", then try again.';
  if (failure.status === 403) {
    const scope = failure.details?.requiredScope || 'reservations:write';
    return `Your customer key is not allowed to do this (it lacks ${scope}). Ask the shop for another key.`;
  }
  return null;
}

/** Not answered: the attempt is kept and "Try again" resends it with the same idempotency key. */
export function notAnswered(failure) {
  if (failure.status === 0) {
    return 'We could not reach the shop. "Try again" sends the very same request, so nothing can be held or bought twice.';
  }
  if (failure.status === 429) return 'The shop is busy right now. Wait a few seconds, then "Try again".';
  if (failure.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS') return 'Your request is still being worked on. "Try again" in a moment.';
  return 'Something went wrong on our side. "Try again" in a moment: the same request is sent, never a second one.';
}

/** "Reserve my cart" failed with an answer: nothing was held. */
export function reserveFailure(failure, names) {
  const details = failure.details || {};
  if (failure.code === 'INSUFFICIENT_STOCK') {
    const parts = (details.shortages || []).map(({ sku, requested, available }) =>
      available === 0
        ? `${nameOf(names, sku)} is sold out`
        : `only ${available} of ${nameOf(names, sku)} left (you asked for ${requested})`,
    );
    return `Nothing was held: ${parts.join('; ')}.`;
  }
  if (failure.code === 'INVENTORY_NOT_FOUND') {
    return `Nothing was held: ${(details.missing || [details.sku]).map((sku) => nameOf(names, sku)).join(', ')} is no longer sold.`;
  }
  if (failure.code === 'PER_CUSTOMER_LIMIT_EXCEEDED') {
    const already = details.heldByCustomer > 0 ? ` (you already hold ${details.heldByCustomer})` : '';
    return `Nothing was held: you may hold at most ${details.maxPerCustomer} of ${nameOf(names, details.sku)} at a time${already}.`;
  }
  return `Nothing was held. ${keyProblem(failure) || describeError(failure)}`;
}

/** A hold that can no longer change: why, from the error of a confirm, cancel, extend or release. */
export function finishedHold(failure) {
  if (failure.code === 'RESERVATION_EXPIRED') return 'Too late: your hold expired and the items went back on sale.';
  if (failure.code === 'RESERVATION_NOT_FOUND') return 'This hold no longer exists.';
  if (failure.code === 'RESERVATION_STATE_CONFLICT') {
    return failure.details?.status === 'CONFIRMED' ? 'You already bought these items.' : 'This hold was cancelled; nothing is held.';
  }
  return null;
}

export function holdFailure(failure) {
  return finishedHold(failure) || keyProblem(failure) || describeError(failure);
}

export const STATUS_WORDS = { RESERVED: 'Held for you', CONFIRMED: 'Bought', CANCELLED: 'Cancelled', EXPIRED: 'Expired' };

export function extendedUntil(hold) {
  return `Kept: your items are held until ${clock(hold.expiresAt)}.`;
}

export function lifetimeCap(details, extendedTo) {
  const cap = minutes(details.maxLifetimeSeconds);
  return extendedTo
    ? `That is as long as we can keep them: until ${clock(extendedTo)} (a hold lasts at most ${cap}).`
    : `We cannot keep them any longer: a hold lasts at most ${cap}, until ${clock(details.latestExpiry)}.`;
}
