// Holds: a live view of reservations (GET /admin/reservations) with filters, countdowns, and cancel for staff.
import { get, idempotentAttempt } from '../shared/api.js';
import { $, badge, el, field, formatCountdown, formatTime, poller } from './dom.js';

const REFRESH_MS = 3000;
/** A hold with this little time left is highlighted. */
const EXPIRING_SOON_SECONDS = 60;
const STATUS_KIND = { RESERVED: 'warn', CONFIRMED: 'ok', CANCELLED: 'muted', EXPIRED: 'bad' };

let ctx;
let section;
/** Cursors of the pages before the current one; the current page's own cursor is the last. */
let cursors = [undefined];
let nextCursor = null;
/** When the shown page was read (performance.now()), so the countdowns run between refreshes. */
let readAt = 0;
const refresher = poller(refresh, REFRESH_MS);
let ticker = null;

function render(root, context) {
  section = root;
  ctx = context;
  const statusSelect = el(
    'select',
    { id: 'holds-status', name: 'status' },
    el('option', { value: 'RESERVED', text: 'Active (RESERVED)' }),
    el('option', { value: '', text: 'Any status' }),
    el('option', { value: 'CONFIRMED', text: 'Confirmed' }),
    el('option', { value: 'CANCELLED', text: 'Cancelled' }),
    el('option', { value: 'EXPIRED', text: 'Expired' }),
  );
  root.append(
    el(
      'div',
      { class: 'card' },
      el('h2', { id: 'holds-title', text: 'Holds' }),
      el('p', {
        class: 'hint',
        text: `Newest first, refreshed every 3 seconds. Holds with under ${EXPIRING_SOON_SECONDS} seconds left are highlighted.`,
      }),
      el(
        'form',
        { id: 'holds-filter', class: 'form-row', onsubmit: applyFilter },
        el('div', { class: 'field' }, ...field('holds-sku', 'SKU', { autocomplete: 'off' })),
        el('div', { class: 'field' }, ...field('holds-user', 'Customer id', { autocomplete: 'off' })),
        el('div', { class: 'field' }, el('label', { for: 'holds-status', text: 'Status' }), statusSelect),
        el('div', { class: 'field' }, ...field('holds-expiring', 'Expiring within (seconds)', { type: 'number', min: 1 })),
        el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Filter' })),
      ),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'holds-table' },
          el('caption', { class: 'visually-hidden', text: 'Holds matching the filter' }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['Hold', 'Customer', 'Lines', 'Status', 'Time left', 'Created', 'Actions'].map((label) =>
                el('th', { scope: 'col', text: label }),
              ),
            ),
          ),
          el('tbody'),
        ),
      ),
      el(
        'div',
        { class: 'pager' },
        el('button', { type: 'button', id: 'holds-prev', class: 'secondary', text: 'Newer', onclick: () => page(-1) }),
        el('span', { id: 'holds-info', 'aria-live': 'polite' }),
        el('button', { type: 'button', id: 'holds-next', class: 'secondary', text: 'Older', onclick: () => page(1) }),
      ),
    ),
  );
}

function filter() {
  const value = (id) => $(id, section).value.trim();
  return {
    sku: value('#holds-sku'),
    userId: value('#holds-user'),
    status: value('#holds-status'),
    expiringWithinSeconds: value('#holds-expiring'),
  };
}

function applyFilter(event) {
  event?.preventDefault();
  cursors = [undefined];
  void refresher.now();
}

function page(step) {
  if (step > 0 && nextCursor) cursors.push(nextCursor);
  if (step < 0 && cursors.length > 1) cursors.pop();
  void refresher.now();
}

async function refresh() {
  const result = await get('/admin/reservations', { query: { ...filter(), cursor: cursors[cursors.length - 1], limit: 50 } });
  const tbody = $('#holds-table tbody', section);
  if (!result.ok) {
    tbody.replaceChildren(el('tr', {}, el('td', { colspan: 7, text: ctx.failed(result) })));
    return;
  }
  readAt = performance.now();
  nextCursor = result.data.nextCursor;
  const rows = result.data.items.map(row);
  tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 7, text: 'No holds match.' }))]));
  $('#holds-info', section).textContent =
    `Page ${cursors.length}${result.data.items.length > 0 ? `, ${result.data.items.length} holds` : ''}`;
  $('#holds-prev', section).disabled = cursors.length <= 1;
  $('#holds-next', section).disabled = !nextCursor;
  tick();
}

function row(hold) {
  const active = hold.status === 'RESERVED';
  const lines = hold.items.map((line) => `${line.quantity} × ${line.sku}`).join(', ');
  return el(
    'tr',
    { 'data-hold': hold.reservationId, 'data-seconds-left': active ? hold.secondsLeft : '' },
    // data-label: the column's name, shown beside each value where a phone stacks the cells (console.css).
    el('td', { class: 'mono', 'data-label': 'Hold', title: hold.reservationId, text: hold.reservationId.slice(0, 8) }),
    el('td', { 'data-label': 'Customer', text: hold.userId }),
    el('td', { 'data-label': 'Lines', text: lines }),
    el('td', { 'data-label': 'Status' }, badge(hold.status, STATUS_KIND[hold.status] || 'muted'), ' ', el('span', { class: 'soon-badge' })),
    el('td', { class: 'num countdown', 'data-label': 'Time left', text: active ? formatCountdown(hold.secondsLeft) : '—' }),
    el('td', { 'data-label': 'Created' }, el('time', { datetime: hold.createdAt, text: formatTime(hold.createdAt) })),
    el(
      'td',
      { 'data-label': 'Actions' },
      active
        ? el('button', {
            type: 'button',
            class: 'danger',
            text: 'Cancel',
            'aria-label': `Cancel hold ${hold.reservationId}`,
            onclick: (event) => cancel(hold, event.currentTarget),
          })
        : null,
    ),
  );
}

/** Once a second: countdowns from the last read, and the highlight of holds about to expire. */
function tick() {
  const elapsed = (performance.now() - readAt) / 1000;
  for (const tr of section.querySelectorAll('#holds-table tbody tr[data-hold]')) {
    if (tr.dataset.secondsLeft === '') continue;
    const left = Math.max(0, Number(tr.dataset.secondsLeft) - elapsed);
    tr.querySelector('.countdown').textContent = formatCountdown(left);
    const soon = left <= EXPIRING_SOON_SECONDS;
    tr.classList.toggle('expiring', soon);
    const slot = tr.querySelector('.soon-badge');
    if (soon && slot.childElementCount === 0) slot.append(badge(left > 0 ? 'Expiring soon' : 'Due', 'bad'));
  }
}

async function cancel(hold, button) {
  if (!window.confirm(`Cancel hold ${hold.reservationId} of ${hold.userId}? Its units go back on sale.`)) return;
  button.disabled = true;
  const attempt = idempotentAttempt('POST', '/checkout/cancel', { reservationId: hold.reservationId });
  let result = await attempt.send();
  // A lost answer is retried once with the same key: the hold is cancelled at most once either way.
  if (result.status === 0) result = await attempt.send();
  button.disabled = false;
  if (result.ok) {
    ctx.notify(
      result.data.status === 'EXPIRED'
        ? `Hold ${hold.reservationId} had already expired; its units are back on sale.`
        : `Cancelled hold ${hold.reservationId}; its units are back on sale.`,
      'ok',
    );
  } else {
    ctx.notify(ctx.failed(result), 'bad');
  }
  void refresher.now();
}

export const holdsView = {
  render,
  enter({ query }) {
    if (query.sku !== undefined) {
      $('#holds-sku', section).value = query.sku;
      $('#holds-status', section).value = '';
      cursors = [undefined];
    }
    refresher.start();
    ticker = setInterval(tick, 1000);
  },
  leave() {
    refresher.stop();
    clearInterval(ticker);
  },
};
