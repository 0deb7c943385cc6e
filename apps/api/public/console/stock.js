// Stock: the SKU table (badges, threshold), edit with a reason, add a SKU, bulk import.
import { del, get, post, put, segment } from '../shared/api.js';
import { parseBulk } from './bulk-parse.js';
import { $, $$, el, field, poller } from './dom.js';
import { stockBadge } from './stock-badges.js';

const REFRESH_MS = 3000;
const COLUMNS = [
  { key: 'sku', label: 'SKU', sort: 'sku' },
  { key: 'productName', label: 'Name', sort: 'productName' },
  { key: 'totalQuantity', label: 'Total', sort: 'totalQuantity', num: true },
  { key: 'availableQuantity', label: 'Available', sort: 'availableQuantity', num: true },
  { key: 'reservedQuantity', label: 'Reserved', sort: 'reservedQuantity', num: true },
  { key: 'soldQuantity', label: 'Sold', sort: 'soldQuantity', num: true },
  { key: 'lowStockThreshold', label: 'Low-stock threshold', num: true },
  { key: 'state', label: 'State' },
];

const table = { page: 1, limit: 10, sortBy: 'sku', sortOrder: 'asc', totalPages: 1 };
let ctx;
let section;
let editing = null;
const refresher = poller(refresh, REFRESH_MS);

function render(root, context) {
  section = root;
  ctx = context;
  root.append(
    el(
      'div',
      { class: 'card' },
      el('h2', { id: 'stock-title', text: 'Stock' }),
      el('p', { class: 'hint', text: 'Refreshes every 3 seconds. Select a SKU for its ledger, chart and reconciliation.' }),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'stock-table' },
          el('caption', { class: 'visually-hidden', text: 'SKUs, their quantities and stock state' }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              COLUMNS.map((column) =>
                el(
                  'th',
                  { scope: 'col', class: column.num ? 'num' : undefined },
                  column.sort
                    ? el('button', { type: 'button', 'data-sort': column.sort, text: column.label, onclick: () => sortBy(column.sort) })
                    : column.label,
                ),
              ),
              el('th', { scope: 'col', text: 'Actions' }),
            ),
          ),
          el('tbody'),
        ),
      ),
      el(
        'div',
        { class: 'pager' },
        el('button', { type: 'button', id: 'page-prev', class: 'secondary', text: 'Previous', onclick: () => turn(-1) }),
        el('span', { id: 'page-info', 'aria-live': 'polite' }),
        el('button', { type: 'button', id: 'page-next', class: 'secondary', text: 'Next', onclick: () => turn(1) }),
      ),
    ),
    editCard(),
    createCard(),
    bulkCard(),
  );
}

function editCard() {
  return el(
    'div',
    { class: 'card', id: 'edit-card', hidden: true },
    el('h2', {}, 'Edit ', el('span', { id: 'edit-sku' })),
    el(
      'form',
      { id: 'edit-form', class: 'form-grid', onsubmit: saveEdit },
      ...field('edit-name', 'Name', { required: true }),
      ...field('edit-total', 'Total', { type: 'number', min: 0, required: true }),
      ...field('edit-available', 'Available', { type: 'number', min: 0, required: true }),
      ...field('edit-threshold', 'Low-stock threshold (empty: none)', { type: 'number', min: 0 }),
      ...field('edit-reason', 'Reason (kept in the ledger)', { maxlength: 500, placeholder: 'e.g. stock count: two damaged' }),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'submit', text: 'Save changes' }),
        el('button', { type: 'button', class: 'secondary', text: 'Close', onclick: closeEditor }),
      ),
    ),
  );
}

function createCard() {
  return el(
    'div',
    { class: 'card' },
    el('h2', { text: 'Add a SKU' }),
    el(
      'form',
      { id: 'create-form', class: 'form-grid', onsubmit: createSku },
      ...field('create-sku', 'SKU', { required: true, autocomplete: 'off' }),
      ...field('create-name', 'Name', { required: true }),
      ...field('create-total', 'Total', { type: 'number', min: 0, required: true }),
      ...field('create-available', 'Available (optional)', { type: 'number', min: 0 }),
      ...field('create-threshold', 'Low-stock threshold (optional)', { type: 'number', min: 0 }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Add SKU' })),
    ),
  );
}

function bulkCard() {
  return el(
    'div',
    { class: 'card' },
    el('h2', { text: 'Bulk import' }),
    el(
      'form',
      { id: 'bulk-form', onsubmit: importBulk },
      el('label', {
        for: 'bulk-text',
        text: 'Paste a JSON array of items, or CSV with a header row (sku,productName,totalQuantity,availableQuantity,lowStockThreshold)',
      }),
      el('textarea', { id: 'bulk-text', rows: 6, spellcheck: 'false' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Import' })),
    ),
    el('ul', { id: 'bulk-results', class: 'results', 'aria-live': 'polite' }),
  );
}

async function refresh() {
  const result = await get('/admin/inventory/all', {
    query: { page: table.page, limit: table.limit, sortBy: table.sortBy, sortOrder: table.sortOrder },
  });
  if (!result.ok) {
    ctx.notify(ctx.failed(result), 'bad');
    return;
  }
  const { items, pagination } = result.data;
  table.totalPages = Math.max(1, pagination.totalPages);
  const rows = items.length > 0 ? items.map(row) : [el('tr', {}, el('td', { colspan: COLUMNS.length + 1, text: 'No SKUs yet.' }))];
  $('#stock-table tbody', section).replaceChildren(...rows);
  $('#page-info', section).textContent = `Page ${pagination.page} of ${table.totalPages} (${pagination.totalItems} SKUs)`;
  $('#page-prev', section).disabled = !pagination.hasPreviousPage;
  $('#page-next', section).disabled = !pagination.hasNextPage;
  for (const button of $$('th button[data-sort]', section)) {
    if (button.dataset.sort === table.sortBy) button.setAttribute('aria-sort', table.sortOrder === 'asc' ? 'ascending' : 'descending');
    else button.removeAttribute('aria-sort');
  }
}

function row(item) {
  const cell = (value, num) => el('td', { class: num ? 'num' : undefined, text: value });
  return el(
    'tr',
    { 'data-sku': item.sku },
    el('td', {}, el('a', { href: `#sku/${segment(item.sku)}`, text: item.sku })),
    cell(item.productName),
    cell(item.totalQuantity, true),
    cell(item.availableQuantity, true),
    cell(item.reservedQuantity, true),
    cell(item.soldQuantity, true),
    cell(item.lowStockThreshold ?? '—', true),
    el('td', {}, stockBadge(item)),
    el(
      'td',
      { class: 'row-actions' },
      el('button', { type: 'button', class: 'secondary', text: 'Edit', 'aria-label': `Edit ${item.sku}`, onclick: () => openEditor(item) }),
      el('button', {
        type: 'button',
        class: 'danger',
        text: 'Delete',
        'aria-label': `Delete ${item.sku}`,
        onclick: () => deleteSku(item.sku),
      }),
    ),
  );
}

function sortBy(field) {
  table.sortOrder = table.sortBy === field && table.sortOrder === 'asc' ? 'desc' : 'asc';
  table.sortBy = field;
  table.page = 1;
  void refresher.now();
}

function turn(step) {
  table.page = Math.min(table.totalPages, Math.max(1, table.page + step));
  void refresher.now();
}

function openEditor(item) {
  editing = item;
  $('#edit-sku', section).textContent = item.sku;
  $('#edit-name', section).value = item.productName;
  $('#edit-total', section).value = item.totalQuantity;
  $('#edit-available', section).value = item.availableQuantity;
  $('#edit-threshold', section).value = item.lowStockThreshold ?? '';
  $('#edit-reason', section).value = '';
  $('#edit-card', section).hidden = false;
  $('#edit-name', section).focus();
}

function closeEditor() {
  $('#edit-card', section).hidden = true;
  editing = null;
}

/** Only what the form changed is sent, so an edit never writes back counters the reservations have moved since. */
async function saveEdit(event) {
  event.preventDefault();
  const value = (id) => $(id, section).value;
  const threshold = value('#edit-threshold') === '' ? null : Number(value('#edit-threshold'));
  const changes = {};
  if (value('#edit-name') !== editing.productName) changes.productName = value('#edit-name');
  if (Number(value('#edit-total')) !== editing.totalQuantity) changes.totalQuantity = Number(value('#edit-total'));
  if (Number(value('#edit-available')) !== editing.availableQuantity) changes.availableQuantity = Number(value('#edit-available'));
  if (threshold !== editing.lowStockThreshold) changes.lowStockThreshold = threshold;
  if (Object.keys(changes).length === 0) {
    ctx.notify(`Nothing changed for ${editing.sku}.`);
    return;
  }
  const countersChange = 'totalQuantity' in changes || 'availableQuantity' in changes;
  const reason = value('#edit-reason').trim();
  if (countersChange && !reason) {
    ctx.notify('Give a reason for a change of quantities: it is kept in the ledger.', 'bad');
    $('#edit-reason', section).focus();
    return;
  }
  const sku = editing.sku;
  const result = await put(`/admin/inventory/${segment(sku)}`, reason ? { ...changes, reason } : changes);
  if (result.ok) {
    ctx.notify(`Saved ${sku}.`, 'ok');
    closeEditor();
    void refresher.now();
  } else {
    ctx.notify(ctx.failed(result), 'bad');
  }
}

const numberOrUndefined = (text) => (text === '' ? undefined : Number(text));

async function createSku(event) {
  event.preventDefault();
  const value = (id) => $(id, section).value;
  const body = {
    sku: value('#create-sku').trim(),
    productName: value('#create-name'),
    totalQuantity: Number(value('#create-total')),
    availableQuantity: numberOrUndefined(value('#create-available')),
    lowStockThreshold: numberOrUndefined(value('#create-threshold')),
  };
  const result = await post('/admin/inventory', body);
  if (result.ok) {
    ctx.notify(`Created ${body.sku}.`, 'ok');
    event.target.reset();
    void refresher.now();
  } else {
    ctx.notify(ctx.failed(result), 'bad');
  }
}

async function deleteSku(sku) {
  if (!window.confirm(`Delete ${sku}? This cannot be undone.`)) return;
  const result = await del(`/admin/inventory/${segment(sku)}`);
  if (result.ok) ctx.notify(`Deleted ${sku}.`, 'ok');
  else ctx.notify(ctx.failed(result), 'bad');
  void refresher.now();
}

async function importBulk(event) {
  event.preventDefault();
  const list = $('#bulk-results', section);
  const line = (text, kind) => el('li', { class: kind, text });
  let items;
  try {
    items = parseBulk($('#bulk-text', section).value);
  } catch (error) {
    list.replaceChildren(line(`Could not read the input: ${error.message}`, 'bad'));
    return;
  }
  const result = await post('/admin/inventory/bulk', { items });
  if (!result.ok) {
    list.replaceChildren(line(ctx.failed(result), 'bad'));
    return;
  }
  const { success, failed, errors } = result.data;
  const failedRows = new Map(errors.map((e) => [e.index, e]));
  const entries = items.map((item, index) => {
    const error = failedRows.get(index);
    return error ? line(`Row ${index + 1}: ${error.message}`, 'bad') : line(`Row ${index + 1}: created ${item.sku}`, 'ok');
  });
  list.replaceChildren(line(`${success} created, ${failed} failed`), ...entries);
  void refresher.now();
}

export const stockView = {
  render,
  enter() {
    refresher.start();
  },
  leave() {
    refresher.stop();
  },
};
