// Activity: reservations per minute by outcome and the expiry lag, sampled from GET /admin/activity every few seconds.
import { get } from '../shared/api.js';
import { CHARTED_OUTCOMES, ratesPerMinute } from './activity-rates.js';
import { lineChart } from './chart.js';
import { $, el, poller } from './dom.js';

const REFRESH_MS = 5000;
/** Ten minutes of samples. */
const KEEP_SAMPLES = 120;
const OUTCOME_LABELS = {
  reserved: 'reserved',
  insufficient: 'insufficient stock',
  not_found: 'unknown SKU',
  per_customer_limit: 'over the per-customer cap',
  replayed: 'replayed',
  rate_limited: 'rate limited',
  other: 'other (invalid, unauthorised, conflicts, errors)',
};

let ctx;
let section;
let samples = [];
let rateChart = null;
let lagChart = null;
const refresher = poller(sample, REFRESH_MS);

function render(root, context) {
  section = root;
  ctx = context;
  root.append(
    el(
      'div',
      { class: 'card' },
      el('h2', { id: 'activity-title', text: 'Activity' }),
      el('p', {
        class: 'hint',
        text:
          'Sampled every 5 seconds from GET /api/v1/admin/activity, which reads the counters of the instance that answers ' +
          '(the same series GET /metrics serves). Behind a load balancer each sample may come from another instance.',
      }),
      el('p', { id: 'activity-now', class: 'activity-now', 'aria-live': 'polite' }),
    ),
    el(
      'div',
      { class: 'chart-grid' },
      el(
        'div',
        { class: 'card' },
        el('h3', { text: 'Reserve requests per minute, by outcome' }),
        el('div', { id: 'rate-chart', class: 'chart-box', role: 'img', 'aria-label': 'Reserve requests per minute by outcome' }),
      ),
      el(
        'div',
        { class: 'card' },
        el('h3', { text: 'Expiry lag (seconds)' }),
        el('p', { class: 'hint', text: 'How long the most overdue hold has waited for the expiry sweeper; 0 when none is due.' }),
        el('div', { id: 'lag-chart', class: 'chart-box', role: 'img', 'aria-label': 'Expiry lag in seconds over time' }),
      ),
    ),
    el('div', { class: 'card' }, el('h3', { text: 'Since this instance started' }), el('dl', { id: 'activity-totals', class: 'totals' })),
  );
}

async function sample() {
  const result = await get('/admin/activity');
  if (!result.ok) {
    $('#activity-now', section).textContent = ctx.failed(result);
    return;
  }
  samples.push({ ...result.data, at: Date.parse(result.data.at) });
  if (samples.length > KEEP_SAMPLES) samples = samples.slice(-KEEP_SAMPLES);
  await draw(result.data);
}

async function draw(latest) {
  rateChart ??= lineChart($('#rate-chart', section), {
    labels: [...CHARTED_OUTCOMES, 'other'].map((o) => OUTCOME_LABELS[o]),
    yLabel: 'per minute',
    height: 220,
  });
  lagChart ??= lineChart($('#lag-chart', section), { labels: ['expiry lag'], yLabel: 'seconds', height: 220 });
  const rates = ratesPerMinute(samples);
  (await rateChart).setData([
    rates.map((p) => p.at / 1000),
    ...[...CHARTED_OUTCOMES, 'other'].map((outcome) => rates.map((p) => p.perMinute[outcome])),
  ]);
  (await lagChart).setData([samples.map((s) => s.at / 1000), samples.map((s) => s.expiryLagSeconds)]);

  const last = rates[rates.length - 1];
  const lag = latest.expiryLagSeconds === null ? 'unknown (the database did not answer)' : `${latest.expiryLagSeconds.toFixed(1)} s`;
  const reservedRate =
    last && last.perMinute.reserved !== null ? `${Math.round(last.perMinute.reserved)} reserved per minute` : 'rates after the next sample';
  $('#activity-now', section).textContent = `Now: ${reservedRate}; expiry lag ${lag}.`;

  const totals = Object.entries(latest.reservationsByOutcome).flatMap(([outcome, count]) => [
    el('dt', { text: `Reserve: ${OUTCOME_LABELS[outcome] || outcome}` }),
    el('dd', { 'data-outcome': outcome, text: count }),
  ]);
  const endings = Object.entries(latest.holdsEnded).flatMap(([to, count]) => [
    el('dt', { text: `Holds ${to}` }),
    el('dd', { 'data-ended': to, text: count }),
  ]);
  $('#activity-totals', section).replaceChildren(...totals, ...endings);
}

export const activityView = {
  render,
  enter() {
    refresher.start();
  },
  leave() {
    refresher.stop();
  },
};
