// A SKU's page: reconciliation at a glance, levels over time from the ledger (uPlot), and the ledger as a timeline.
import { get, segment } from '../shared/api.js';
import { lineChart } from './chart.js';
import { $, badge, el, formatTime, signed } from './dom.js';
import { levelsFromLedger } from './ledger-levels.js';

const PAGE = 200;
/** The chart reads at most this many movements (newest); the timeline pages on with "Show older". */
const CHART_MOVEMENTS = 1000;
const TIMELINE_STEP = 50;

const TYPE_KIND = {
  opening: 'muted',
  created: 'ok',
  adjusted: 'warn',
  reserved: 'muted',
  released: 'ok',
  cancelled: 'ok',
  expired: 'warn',
  confirmed: 'ok',
  deleted: 'bad',
};

let ctx;
let section;
let chart = null;
let state = { sku: null, movements: [], nextCursor: null, shown: TIMELINE_STEP };
let generation = 0;

function render(root, context) {
  section = root;
  ctx = context;
  root.append(
    el(
      'div',
      { class: 'card' },
      el('p', { class: 'back-link' }, el('a', { href: '#stock', text: '← All stock' })),
      el('h2', { id: 'sku-title' }, 'SKU ', el('span', { id: 'sku-name', class: 'mono' })),
      el('p', { id: 'sku-product', class: 'hint' }),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'button', id: 'sku-reload', class: 'secondary', text: 'Reconcile again', onclick: () => load(state.sku) }),
        el('a', { id: 'sku-holds', class: 'button secondary', href: '#holds', text: 'Holds of this SKU' }),
      ),
    ),
    el(
      'div',
      { class: 'card' },
      el('h2', {}, 'Reconciliation ', el('span', { id: 'reconcile-badge' })),
      el('p', {
        class: 'hint',
        text: 'Counters must equal the sums of the ledger; reserved and sold must equal the sums over the holds.',
      }),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'reconcile-table' },
          el('caption', { class: 'visually-hidden', text: 'Counters against the holds and the ledger' }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', { scope: 'col', text: 'Quantity' }),
              el('th', { scope: 'col', class: 'num', text: 'Counter' }),
              el('th', { scope: 'col', class: 'num', text: 'From holds' }),
              el('th', { scope: 'col', class: 'num', text: 'From ledger' }),
            ),
          ),
          el('tbody'),
        ),
      ),
    ),
    el(
      'div',
      { class: 'card' },
      el('h2', { text: 'Available, reserved and sold over time' }),
      el('p', { id: 'chart-note', class: 'hint', text: 'Drawn from the ledger: one step per movement.' }),
      el('div', { id: 'sku-chart', class: 'chart-box', role: 'img', 'aria-label': 'Stock levels over time, from the ledger' }),
    ),
    el(
      'div',
      { class: 'card' },
      el('h2', { text: 'Ledger' }),
      el('ol', { id: 'ledger', class: 'timeline', 'aria-label': 'Stock movements, newest first' }),
      el('button', { type: 'button', id: 'ledger-more', class: 'secondary', text: 'Show older', hidden: true, onclick: showOlder }),
    ),
  );
}

async function load(sku) {
  const mine = ++generation;
  state = { sku, movements: [], nextCursor: null, shown: TIMELINE_STEP };
  $('#sku-name', section).textContent = sku;
  $('#sku-holds', section).setAttribute('href', `#holds?sku=${encodeURIComponent(sku)}`);
  // Independent reads: each part fills in when its answer comes, none waits for the others.
  void loadItemName(sku, mine);
  const reconcile = loadReconcile(sku, mine);
  const movements = loadMovements(sku, mine);
  const [latest, complete] = await Promise.all([reconcile, movements]);
  if (mine !== generation) return;
  await drawChart(complete, latest);
}

async function loadItemName(sku, mine) {
  const result = await get(`/inventory/${segment(sku)}`);
  if (mine !== generation) return;
  $('#sku-product', section).textContent = result.ok ? `${result.data.productName}` : result.status === 404 ? 'Deleted or unknown SKU' : '';
}

async function loadReconcile(sku, mine) {
  const result = await get(`/admin/inventory/${segment(sku)}/reconcile`);
  if (mine !== generation) return null;
  const tbody = $('#reconcile-table tbody', section);
  if (!result.ok) {
    $('#reconcile-badge', section).replaceChildren();
    tbody.replaceChildren(el('tr', {}, el('td', { colspan: 4, text: ctx.failed(result) })));
    return null;
  }
  const r = result.data;
  $('#reconcile-badge', section).replaceChildren(r.consistent ? badge('Consistent', 'ok') : badge('Inconsistent', 'bad'));
  const rows = [
    ['Total', 'totalQuantity', false],
    ['Available', 'availableQuantity', false],
    ['Reserved', 'reservedQuantity', true],
    ['Sold', 'soldQuantity', true],
  ].map(([label, key, fromHolds]) => {
    const counter = r.counters[key];
    const held = fromHolds ? r.fromReservations[key] : null;
    const ledger = r.fromLedger[key];
    const mismatch = (value) => (value !== null && value !== counter ? 'num bad-text' : 'num');
    return el(
      'tr',
      { 'data-quantity': key },
      el('th', { scope: 'row', text: label }),
      el('td', { class: 'num', text: counter }),
      el('td', { class: mismatch(held), text: held ?? '—' }),
      el('td', { class: mismatch(ledger), text: ledger }),
    );
  });
  tbody.replaceChildren(...rows);
  return r.fromLedger;
}

/** Reads up to CHART_MOVEMENTS movements; true when that is the whole ledger. */
async function loadMovements(sku, mine) {
  let cursor;
  do {
    const result = await get(`/admin/inventory/${segment(sku)}/movements`, { query: { limit: PAGE, cursor } });
    if (mine !== generation) return false;
    if (!result.ok) {
      $('#ledger', section).replaceChildren(el('li', { class: 'bad-text', text: ctx.failed(result) }));
      return false;
    }
    state.movements.push(...result.data.items);
    state.nextCursor = result.data.nextCursor;
    cursor = result.data.nextCursor;
    renderTimeline();
  } while (cursor && state.movements.length < CHART_MOVEMENTS);
  return !state.nextCursor;
}

function renderTimeline() {
  const items = state.movements.slice(0, state.shown).map(movementItem);
  $('#ledger', section).replaceChildren(...(items.length > 0 ? items : [el('li', { text: 'No movements yet.' })]));
  $('#ledger-more', section).hidden = state.shown >= state.movements.length && !state.nextCursor;
}

async function showOlder() {
  if (state.shown < state.movements.length) {
    state.shown += TIMELINE_STEP;
    renderTimeline();
    return;
  }
  const mine = generation;
  const result = await get(`/admin/inventory/${segment(state.sku)}/movements`, { query: { limit: PAGE, cursor: state.nextCursor } });
  if (mine !== generation) return;
  if (!result.ok) {
    ctx.notify(ctx.failed(result), 'bad');
    return;
  }
  state.movements.push(...result.data.items);
  state.nextCursor = result.data.nextCursor;
  state.shown += TIMELINE_STEP;
  renderTimeline();
}

function movementItem(m) {
  const deltas = [
    ['available', m.availableDelta],
    ['reserved', m.reservedDelta],
    ['sold', m.soldDelta],
    ['total', m.totalDelta],
  ]
    .filter(([, delta]) => delta !== 0)
    .map(([name, delta]) => `${name} ${signed(delta)}`)
    .join(', ');
  return el(
    'li',
    { 'data-movement': m.id },
    el('time', { datetime: m.at, text: formatTime(m.at) }),
    el(
      'div',
      { class: 'timeline-body' },
      badge(m.type, TYPE_KIND[m.type] || 'muted'),
      el('span', { class: 'deltas', text: deltas || 'no change of counters' }),
      m.reason ? el('p', { class: 'reason', text: `Reason: ${m.reason}` }) : null,
      m.reservationId ? el('p', { class: 'hint mono', text: `Hold ${m.reservationId}` }) : null,
      m.actor ? el('p', { class: 'hint', text: `By key ${m.actor}` }) : null,
    ),
  );
}

async function drawChart(complete, latest) {
  const box = $('#sku-chart', section);
  chart ??= lineChart(box, { labels: ['Available', 'Reserved', 'Sold'], stepped: true, yLabel: 'units' });
  (await chart).setData(levelsFromLedger(state.movements, complete, latest));
  $('#chart-note', section).textContent = complete
    ? 'Drawn from the ledger: one step per movement.'
    : `Drawn from the newest ${state.movements.length} movements of the ledger.`;
}

export const skuView = {
  render,
  enter({ arg }) {
    if (!arg) {
      ctx.go('#stock');
      return;
    }
    void load(arg);
  },
  leave() {
    generation++;
  },
};
