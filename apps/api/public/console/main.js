// Operations console: sign-in, hash routing between the views, one status line.
import { credentials, describeError, get } from '../shared/api.js';
import { $, $$, say } from './dom.js';
import { activityView } from './activity.js';
import { holdsView } from './holds.js';
import { keysView } from './keys.js';
import { skuView } from './sku.js';
import { stockView } from './stock.js';
import { webhooksView } from './webhooks.js';

const VIEWS = { stock: stockView, sku: skuView, holds: holdsView, activity: activityView, webhooks: webhooksView, keys: keysView };
/** The nav entry that stays current on a page below it (a SKU's page belongs to Stock). */
const NAV_OF = { sku: 'stock' };

const rendered = new Set();
let current = null;

const context = {
  /** One status line for the whole console (role=status): what just happened, or what went wrong. */
  notify(text, kind) {
    say($('#console-message'), text, kind);
  },
  /** The words for a failed call; a 401 also means the key stopped working, so the sign-in comes back. */
  failed(failure) {
    if (failure.status === 401) signOut('The key was refused (unknown or revoked). Sign in again.');
    return describeError(failure);
  },
  go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
};

/** `#sku/ABC-1` -> { name: 'sku', arg: 'ABC-1' }; `#holds?sku=X` -> { name: 'holds', query: {sku: 'X'} }. */
function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const [path, search = ''] = raw.split('?');
  const [name, ...rest] = path.split('/');
  return {
    name: VIEWS[name] ? name : 'stock',
    arg: rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined,
    query: Object.fromEntries(new URLSearchParams(search)),
  };
}

function route() {
  const signedIn = Boolean(credentials.get());
  $('#console-bar').hidden = !signedIn;
  $('#view-signin').hidden = signedIn;
  if (!signedIn) {
    leaveCurrent();
    for (const name of Object.keys(VIEWS)) $(`#view-${name}`).hidden = true;
    $('#signin-key').focus();
    return;
  }
  const { name, arg, query } = parseHash();
  leaveCurrent();
  for (const other of Object.keys(VIEWS)) $(`#view-${other}`).hidden = other !== name;
  const section = $(`#view-${name}`);
  const view = VIEWS[name];
  if (!rendered.has(name)) {
    view.render(section, context);
    rendered.add(name);
  }
  for (const link of $$('.console-nav a')) {
    if (link.dataset.view === (NAV_OF[name] || name)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  current = view;
  view.enter({ arg, query });
}

function leaveCurrent() {
  current?.leave();
  current = null;
}

function signOut(message) {
  credentials.set('');
  leaveCurrent();
  say($('#signin-message'), message || 'Signed out.', message ? 'bad' : 'ok');
  context.notify('');
  route();
}

$('#signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('#signin-key').value.trim();
  if (!key) return;
  const button = event.target.querySelector('button');
  button.disabled = true;
  say($('#signin-message'), 'Checking the key…');
  // Any admin read tells a good key from a bad one: 401 means unknown or revoked; 403 means valid but without this scope.
  const probe = await get('/admin/inventory/all', { query: { limit: 1 }, auth: key });
  button.disabled = false;
  if (!probe.ok && probe.status !== 403) {
    say($('#signin-message'), describeError(probe), 'bad');
    return;
  }
  credentials.set(key);
  $('#signin-key').value = '';
  say($('#signin-message'), '');
  context.notify(
    probe.ok ? 'Signed in.' : 'Signed in. This key cannot read stock (no inventory:read); the parts it has scopes for work.',
    probe.ok ? 'ok' : 'bad',
  );
  // replaceState: no hashchange, so the line above stays.
  if (!location.hash) history.replaceState(null, '', '#stock');
  route();
});

$('#sign-out').addEventListener('click', () => signOut());
$('#session-label').textContent = 'Signed in with an API key (this tab only)';
window.addEventListener('hashchange', () => {
  context.notify('');
  route();
});
route();
