// The hold card: status, countdown, the held lines with "Give one back" and "Remove", and the hold's actions.

import { $, el, say, syncList, uniqueId } from './dom.js';
import { nameOf, STATUS_WORDS } from './outcomes.js';

const STATUS_TONE = { RESERVED: 'ok', CONFIRMED: 'ok', CANCELLED: 'muted', EXPIRED: 'bad' };
const HURRY_SECONDS = 60;

export const formatCountdown = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

function createLine(session) {
  const nameId = uniqueId('held-name');
  const item = el('li', { className: 'line' });
  const giveOne = el('button', { className: 'secondary', text: 'Give one back', attrs: { type: 'button', 'aria-describedby': nameId } });
  giveOne.addEventListener('click', () => session.release(item.dataset.sku, 1));
  const remove = el('button', { className: 'secondary', text: 'Remove', attrs: { type: 'button', 'aria-describedby': nameId } });
  remove.addEventListener('click', () => session.release(item.dataset.sku, Number(item.dataset.quantity)));
  item.append(
    el(
      'div',
      { className: 'line-head' },
      el('span', { className: 'line-name', attrs: { id: nameId } }),
      el('span', { className: 'mono line-sku' }),
    ),
    el('div', { className: 'line-controls' }, giveOne, remove),
  );
  return item;
}

/** Only the countdown: runs every second without touching the rest of the card. */
export function renderCountdown(session) {
  const left = session.active() ? session.secondsLeft() : 0;
  const countdown = $('#hold-countdown');
  countdown.textContent = session.active() ? formatCountdown(left) : '—';
  countdown.classList.toggle('hurry', session.active() && left <= HURRY_SECONDS);
}

export function renderHold(session, names) {
  const { hold, busy, pending, capReached, message } = session.state;
  const card = $('#hold-card');
  card.hidden = hold === null;
  if (!hold) return;
  const active = session.active();
  const status = $('#hold-status');
  status.textContent = STATUS_WORDS[hold.status] || hold.status;
  status.className = `badge ${STATUS_TONE[hold.status] || 'muted'}`;
  $('#countdown-wrap').hidden = !active;
  renderCountdown(session);

  syncList(
    $('#hold-lines'),
    hold.items,
    (line) => line.sku,
    () => createLine(session),
    (item, line) => {
      item.dataset.sku = line.sku;
      item.dataset.quantity = String(line.quantity);
      item.querySelector('.line-name').textContent = `${line.quantity} × ${nameOf(names, line.sku)}`;
      item.querySelector('.line-sku').textContent = line.sku;
      const [giveOne, remove] = item.querySelectorAll('button');
      giveOne.hidden = !active || line.quantity < 2;
      remove.hidden = !active;
      giveOne.disabled = remove.disabled = busy || !!pending;
    },
  );

  const locked = !active || busy || !!pending;
  $('#confirm-button').disabled = locked;
  $('#cancel-button').disabled = locked;
  $('#extend-button').disabled = locked || capReached;
  for (const id of ['#confirm-button', '#cancel-button', '#extend-button']) $(id).hidden = !active;
  $('#done-button').hidden = active;
  $('#hold-retry').hidden = !pending;
  $('#hold-retry').disabled = busy;
  $('#hold-heading').textContent = active ? 'Your held items' : hold.status === 'CONFIRMED' ? 'Your order' : 'Your hold';
  say($('#hold-message'), busy ? 'One moment…' : message.text, busy ? '' : message.tone);
}
