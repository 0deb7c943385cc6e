// Webhooks: create (the signing secret is shown once), list, delete, and each endpoint's recent deliveries.
import { del, get, post, segment } from '../shared/api.js';
import { $, badge, el, field, formatTime } from './dom.js';
import { secretReveal } from './secret-reveal.js';

const EVENT_TYPES = [
  'reservation.created',
  'reservation.extended',
  'reservation.released',
  'reservation.confirmed',
  'reservation.cancelled',
  'reservation.expired',
  'inventory.created',
  'inventory.updated',
  'inventory.deleted',
  'inventory.low_stock',
  'inventory.out_of_stock',
  'inventory.back_in_stock',
];

let ctx;
let section;

function render(root, context) {
  section = root;
  ctx = context;
  const checks = [
    el('label', {}, el('input', { type: 'checkbox', name: 'events', value: '*', id: 'hook-event-all' }), 'every event (*)'),
    ...EVENT_TYPES.map((type) => el('label', {}, el('input', { type: 'checkbox', name: 'events', value: type }), type)),
  ];
  root.append(
    el(
      'div',
      { class: 'card' },
      el('h2', { id: 'webhooks-title', text: 'Webhooks' }),
      el(
        'form',
        { id: 'hook-form', class: 'form-grid', onsubmit: create },
        ...field('hook-url', 'URL', { type: 'url', required: true, placeholder: 'https://orders.example.com/hooks/inventory' }),
        ...field('hook-description', 'Description (optional)', { maxlength: 200 }),
        el('fieldset', {}, el('legend', { text: 'Events' }), el('div', { class: 'checks' }, checks)),
        el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Create webhook' })),
      ),
      el('div', { id: 'hook-secret' }),
    ),
    el(
      'div',
      { class: 'card' },
      el('h2', { text: 'Endpoints' }),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'hooks-table' },
          el('caption', { class: 'visually-hidden', text: 'Webhook endpoints' }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['URL', 'Events', 'Description', 'Created', 'State', 'Actions'].map((l) => el('th', { scope: 'col', text: l })),
            ),
          ),
          el('tbody'),
        ),
      ),
    ),
    el(
      'div',
      { class: 'card', id: 'deliveries-card', hidden: true },
      el('h2', {}, 'Recent deliveries of ', el('span', { id: 'deliveries-url', class: 'mono' })),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'deliveries-table' },
          el('caption', { class: 'visually-hidden', text: 'Delivery attempts, most recent first' }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['At', 'Event', 'Try', 'Result', 'Duration', 'Next retry'].map((l) => el('th', { scope: 'col', text: l })),
            ),
          ),
          el('tbody'),
        ),
      ),
    ),
  );
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const events = [...form.querySelectorAll('input[name=events]:checked')].map((input) => input.value);
  if (events.length === 0) {
    ctx.notify('Choose at least one event type.', 'bad');
    return;
  }
  const description = $('#hook-description', section).value.trim();
  const result = await post('/admin/webhooks', {
    url: $('#hook-url', section).value.trim(),
    events: events.includes('*') ? ['*'] : events,
    ...(description ? { description } : {}),
  });
  if (!result.ok) {
    ctx.notify(ctx.failed(result), 'bad');
    return;
  }
  form.reset();
  ctx.notify(`Webhook created for ${result.data.url}. Store its secret now: it is not shown again.`, 'ok');
  $('#hook-secret', section).replaceChildren(
    secretReveal('hook-secret-value', 'Signing secret', result.data.secret, 'shown only now; verify webhook-signature with it.'),
  );
  await list();
}

async function list() {
  const result = await get('/admin/webhooks');
  const tbody = $('#hooks-table tbody', section);
  if (!result.ok) {
    tbody.replaceChildren(el('tr', {}, el('td', { colspan: 6, text: ctx.failed(result) })));
    return;
  }
  const rows = result.data.items.map((hook) =>
    el(
      'tr',
      { 'data-hook': hook.id },
      el('td', { class: 'mono', text: hook.url }),
      el('td', { text: hook.events.join(', ') }),
      el('td', { text: hook.description ?? '—' }),
      el('td', {}, el('time', { datetime: hook.createdAt, text: formatTime(hook.createdAt) })),
      el('td', {}, hook.disabledAt ? badge(`Disabled (410) ${formatTime(hook.disabledAt)}`, 'bad') : badge('Enabled', 'ok')),
      el(
        'td',
        { class: 'row-actions' },
        el('button', {
          type: 'button',
          class: 'secondary',
          text: 'Deliveries',
          'aria-label': `Deliveries of ${hook.url}`,
          onclick: () => deliveries(hook),
        }),
        el('button', {
          type: 'button',
          class: 'danger',
          text: 'Delete',
          'aria-label': `Delete webhook ${hook.url}`,
          onclick: () => remove(hook),
        }),
      ),
    ),
  );
  tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 6, text: 'No webhook endpoints yet.' }))]));
}

async function remove(hook) {
  if (!window.confirm(`Delete the webhook for ${hook.url}? Nothing more will be sent to it.`)) return;
  const result = await del(`/admin/webhooks/${segment(hook.id)}`);
  if (result.ok) {
    ctx.notify(`Deleted the webhook for ${hook.url}.`, 'ok');
    if ($('#deliveries-card', section).dataset.hook === hook.id) $('#deliveries-card', section).hidden = true;
  } else {
    ctx.notify(ctx.failed(result), 'bad');
  }
  await list();
}

async function deliveries(hook) {
  const card = $('#deliveries-card', section);
  card.dataset.hook = hook.id;
  card.hidden = false;
  $('#deliveries-url', section).textContent = hook.url;
  const tbody = $('#deliveries-table tbody', section);
  tbody.replaceChildren(el('tr', {}, el('td', { colspan: 6, text: 'Loading…' })));
  const result = await get(`/admin/webhooks/${segment(hook.id)}/deliveries`, { query: { limit: 50 } });
  if (!result.ok) {
    tbody.replaceChildren(el('tr', {}, el('td', { colspan: 6, text: ctx.failed(result) })));
    return;
  }
  const rows = result.data.items.map((attempt) => {
    const delivered = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
    const outcome = attempt.statusCode !== null ? `HTTP ${attempt.statusCode}` : attempt.error || 'no answer';
    return el(
      'tr',
      {},
      el('td', {}, el('time', { datetime: attempt.at, text: formatTime(attempt.at) })),
      el('td', { text: attempt.eventType }),
      el('td', { class: 'num', text: attempt.attempt }),
      el('td', {}, badge(outcome, delivered ? 'ok' : 'bad')),
      el('td', { class: 'num', text: `${attempt.durationMs} ms` }),
      el('td', { text: attempt.nextRetryAt ? formatTime(attempt.nextRetryAt) : delivered ? '—' : 'none (given up or gone)' }),
    );
  });
  tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 6, text: 'No delivery attempts yet.' }))]));
  card.scrollIntoView({ block: 'nearest' });
}

export const webhooksView = {
  render,
  enter() {
    void list();
  },
  leave() {},
};
