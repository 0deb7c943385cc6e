// API keys: create with scopes (the key is shown once), list, revoke.
import { del, get, post, segment } from '../shared/api.js';
import { $, badge, el, field, formatTime } from './dom.js';
import { secretReveal } from './secret-reveal.js';

const SCOPES = [
  ['inventory:read', 'read stock, ledger, holds, activity'],
  ['inventory:write', 'change stock'],
  ['reservations:write', 'hold, confirm and cancel (customer key)'],
  ['webhooks:write', 'manage webhooks'],
  ['keys:write', 'manage API keys'],
];

let ctx;
let section;

function render(root, context) {
  section = root;
  ctx = context;
  root.append(
    el(
      'div',
      { class: 'card' },
      el('h2', { id: 'keys-title', text: 'API keys' }),
      el(
        'form',
        { id: 'key-form', class: 'form-grid', onsubmit: create },
        ...field('key-name', 'Name', { required: true, maxlength: 100, placeholder: 'e.g. storefront checkout' }),
        el(
          'fieldset',
          {},
          el('legend', { text: 'Scopes' }),
          el(
            'div',
            { class: 'checks' },
            SCOPES.map(([scope, what]) =>
              el('label', {}, el('input', { type: 'checkbox', name: 'scopes', value: scope }), `${scope} (${what})`),
            ),
          ),
        ),
        el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Create key' })),
      ),
      el('div', { id: 'key-secret' }),
    ),
    el(
      'div',
      { class: 'card' },
      el('h2', { text: 'Keys' }),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'keys-table' },
          el('caption', { class: 'visually-hidden', text: 'API keys, revoked ones included' }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['Name', 'Prefix', 'Scopes', 'Created', 'State', 'Actions'].map((l) => el('th', { scope: 'col', text: l })),
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
  const scopes = [...form.querySelectorAll('input[name=scopes]:checked')].map((input) => input.value);
  if (scopes.length === 0) {
    ctx.notify('Choose at least one scope.', 'bad');
    return;
  }
  const result = await post('/admin/api-keys', { name: $('#key-name', section).value.trim(), scopes });
  if (!result.ok) {
    ctx.notify(ctx.failed(result), 'bad');
    return;
  }
  form.reset();
  ctx.notify(`Key "${result.data.name}" created. Store it now: it is not shown again.`, 'ok');
  $('#key-secret', section).replaceChildren(secretReveal('key-secret-value', 'New API key', result.data.key, 'shown only now.'));
  await list();
}

async function list() {
  const result = await get('/admin/api-keys');
  const tbody = $('#keys-table tbody', section);
  if (!result.ok) {
    tbody.replaceChildren(el('tr', {}, el('td', { colspan: 6, text: ctx.failed(result) })));
    return;
  }
  const rows = result.data.items.map((key) =>
    el(
      'tr',
      { 'data-key': key.id },
      el('td', { text: key.name }),
      el('td', { class: 'mono', text: key.prefix }),
      el('td', { text: key.scopes.join(', ') }),
      el('td', {}, el('time', { datetime: key.createdAt, text: formatTime(key.createdAt) })),
      el('td', {}, key.revokedAt ? badge(`Revoked ${formatTime(key.revokedAt)}`, 'muted') : badge('Active', 'ok')),
      el(
        'td',
        {},
        key.revokedAt
          ? null
          : el('button', {
              type: 'button',
              class: 'danger',
              text: 'Revoke',
              'aria-label': `Revoke key ${key.name}`,
              onclick: () => revoke(key),
            }),
      ),
    ),
  );
  tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 6, text: 'No keys yet.' }))]));
}

async function revoke(key) {
  if (!window.confirm(`Revoke "${key.name}" (${key.prefix}…)? Every client using it is refused at once.`)) return;
  const result = await del(`/admin/api-keys/${segment(key.id)}`);
  if (result.ok) ctx.notify(`Revoked "${key.name}".`, 'ok');
  else ctx.notify(ctx.failed(result), 'bad');
  await list();
}

export const keysView = {
  render,
  enter() {
    void list();
  },
  leave() {},
};
