// The shopper's hold: its state from the API, the countdown, and the actions on it (buy, keep, give back, cancel).
// Every action is an idempotent attempt; one that got no answer is kept for "Try again" with the same key.

import { attemptCancel, attemptConfirm, attemptExtend, attemptRelease, getHold, unanswered } from './customer-api.js';
import { extendedUntil, finishedHold, holdFailure, lifetimeCap, nameOf, notAnswered } from './outcomes.js';

const HOLD_ID = 'irs.store.holdId';
/** "Keep my items" asks for five more minutes, or for the hold's own length (creation to expiry) if that is shorter. */
export const EXTEND_SECONDS = 300;

export function createHoldSession({ names, onChange }) {
  const state = {
    hold: null,
    /** When the hold ends, on this browser's clock (from the server's secondsLeft, so a skewed clock does not matter). */
    deadline: 0,
    capReached: false,
    busy: false,
    pending: null,
    message: { text: '', tone: '' },
  };
  let polling = false;
  const say = (text, tone = '') => {
    state.message = { text, tone };
  };

  function show(hold) {
    state.hold = hold;
    state.deadline = Date.now() + hold.secondsLeft * 1000;
    if (hold.status === 'RESERVED') sessionStorage.setItem(HOLD_ID, hold.reservationId);
    else sessionStorage.removeItem(HOLD_ID);
  }

  async function run(attempt, handle) {
    state.busy = true;
    state.pending = null;
    onChange();
    const result = await attempt.send();
    state.busy = false;
    if (unanswered(result)) {
      state.pending = { attempt, handle };
      say(notAnswered(result), 'bad');
    } else {
      await handle(result);
    }
    onChange();
  }

  /** A refused action: say why, and when the hold has ended meanwhile, show that (then its state as the API has it). */
  async function refused(result) {
    say(holdFailure(result), 'bad');
    if (!finishedHold(result)) return;
    const status = result.code === 'RESERVATION_EXPIRED' ? 'EXPIRED' : result.details?.status;
    if (status) state.hold = { ...state.hold, status, secondsLeft: 0 };
    await refresh();
  }

  async function refresh() {
    const result = await getHold(state.hold.reservationId);
    if (result.ok) show(result.data);
    else if (result.code === 'RESERVATION_NOT_FOUND') state.hold = { ...state.hold, status: 'CANCELLED', secondsLeft: 0 };
  }

  const STATUS_CHANGE = {
    EXPIRED: 'Your hold expired and the items went back on sale. Reserve them again to buy them.',
    CANCELLED: 'The shop cancelled this hold; nothing is held.',
    CONFIRMED: 'These items were bought.',
  };

  const extendHandler = (cap) => async (result) => {
    if (result.ok) {
      show(result.data);
      if (cap) state.capReached = true;
      say(cap ? lifetimeCap(cap, result.data.expiresAt) : extendedUntil(result.data), 'ok');
      return;
    }
    if (result.code === 'HOLD_LIFETIME_EXCEEDED' && !cap) {
      // Keep them as long as the cap allows, then say that this is the limit.
      const room = Math.floor((Date.parse(result.details.latestExpiry) - Date.parse(state.hold.expiresAt)) / 1000);
      if (room >= 1) return run(attemptExtend(state.hold.reservationId, room), extendHandler(result.details));
      state.capReached = true;
      say(lifetimeCap(result.details), 'bad');
      return;
    }
    await refused(result);
  };

  return {
    state,
    secondsLeft: () => Math.max(0, Math.ceil((state.deadline - Date.now()) / 1000)),
    active: () => state.hold?.status === 'RESERVED',

    start(hold, message = '') {
      show(hold);
      state.capReached = false;
      state.pending = null;
      say(message, 'ok');
      onChange();
    },

    /** After a reload: the hold this tab was working on, if it is still held. */
    async resume() {
      const id = sessionStorage.getItem(HOLD_ID);
      if (!id) return;
      const result = await getHold(id);
      if (result.ok && result.data.status === 'RESERVED') this.start(result.data);
      else if (!unanswered(result)) sessionStorage.removeItem(HOLD_ID);
    },

    /** Picks up changes made elsewhere (expiry, a cancel by staff); skipped while an action is on its way. */
    async poll() {
      if (!this.active() || state.busy || state.pending || polling) return;
      const before = state.hold.status;
      polling = true;
      const result = await getHold(state.hold.reservationId);
      polling = false;
      if (!result.ok || state.busy || !this.active()) return;
      show(result.data);
      if (result.data.status !== before) say(STATUS_CHANGE[result.data.status] || '', 'bad');
      onChange();
    },

    retry() {
      if (state.pending) return run(state.pending.attempt, state.pending.handle);
    },

    confirm() {
      return run(attemptConfirm(state.hold.reservationId), async (result) => {
        if (!result.ok) return refused(result);
        show(result.data);
        say('Thank you! Your purchase is confirmed.', 'ok');
      });
    },

    cancel() {
      return run(attemptCancel(state.hold.reservationId), async (result) => {
        if (!result.ok) return refused(result);
        show(result.data);
        say(
          result.data.status === 'EXPIRED' ? 'Your hold had already expired; nothing is held.' : 'Cancelled: the items are back on sale.',
          'ok',
        );
      });
    },

    extend() {
      // The hold's life so far never passes RESERVATION_MAX_TTL_SECONDS, so asking for at most that much is never a 400.
      const lived = Math.floor((Date.parse(state.hold.expiresAt) - Date.parse(state.hold.createdAt)) / 1000);
      const seconds = Math.max(1, Math.min(EXTEND_SECONDS, lived));
      return run(attemptExtend(state.hold.reservationId, seconds), extendHandler(null));
    },

    release(sku, quantity) {
      return run(attemptRelease(state.hold.reservationId, [{ sku, quantity }]), async (result) => {
        if (!result.ok) {
          if (result.code !== 'RELEASE_EXCEEDS_HOLD') return refused(result);
          await refresh();
          return say('That item was already given back.', 'bad');
        }
        show(result.data);
        if (result.data.status === 'CANCELLED') return say('You gave everything back, so nothing is held any more.', 'ok');
        const held = result.data.items.some((line) => line.sku === sku);
        say(held ? `Gave back ${quantity} of ${nameOf(names, sku)}.` : `Removed ${nameOf(names, sku)} from your hold.`, 'ok');
      });
    },

    /** "Continue shopping": forget a finished hold. */
    dismiss() {
      state.hold = null;
      state.pending = null;
      sessionStorage.removeItem(HOLD_ID);
      say('');
      onChange();
    },
  };
}
