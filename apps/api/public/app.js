'use strict';
// Storefront and admin console. Talks only to the public REST API under /api/v1.

const API = '/api/v1';
const $ = (selector) => document.querySelector(selector);

/** A fetch that always resolves to { status, body }; status 0 means the network failed. */
async function call(method, path, body, headers = {}) {
  const token = sessionStorage.getItem('adminToken');
  const admin = path.startsWith('/admin/');
  try {
    const response = await fetch(API + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(admin && token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  } catch (error) {
    return { status: 0, body: null, error };
  }
}

function say(element, text, kind) {
  element.textContent = text;
  element.className = `message ${kind || ''}`.trim();
}

/** The API's own words for a failed request, with the field messages of a validation error. */
function apiError(result) {
  if (result.status === 0) return 'The shop could not be reached. Check your connection and try again.';
  const body = result.body || {};
  const fields = (body.errors || []).flatMap((e) => e.messages).join('; ');
  return fields || body.message || `Request failed (${result.status})`;
}

// ---------- tabs ----------
function showTab(name) {
  for (const tab of ['store', 'admin']) {
    const selected = tab === name;
    $(`#tab-${tab}`).setAttribute('aria-selected', String(selected));
    $(`#tab-${tab}`).tabIndex = selected ? 0 : -1;
    $(`#panel-${tab}`).hidden = !selected;
  }
  if (name === 'admin') refreshTable();
}
$('#tab-store').addEventListener('click', () => showTab('store'));
$('#tab-admin').addEventListener('click', () => showTab('admin'));
document.querySelector('.tabs').addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
  const next = $('#tab-store').getAttribute('aria-selected') === 'true' ? 'admin' : 'store';
  showTab(next);
  $(`#tab-${next}`).focus();
});

// ---------- storefront ----------
$('#lookup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const sku = $('#lookup-sku').value.trim();
  const result = await call('GET', `/inventory/${encodeURIComponent(sku)}`);
  if (result.status === 200) {
    const item = result.body.data;
    $('#product').textContent = `${item.productName}: ${item.availableQuantity} available`;
    $('#reserve-sku').value = item.sku;
  } else {
    $('#product').textContent = result.status === 404 ? "We couldn't find that product." : apiError(result);
  }
});

/** One reservation attempt keeps its idempotency key until the API has answered it. */
let attempt = null;
let hold = null;
let holdTimer = null;

$('#reserve-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt = {
    key: crypto.randomUUID(),
    body: { sku: $('#reserve-sku').value.trim(), userId: $('#reserve-user').value.trim(), quantity: Number($('#reserve-quantity').value) },
  };
  sendReservation();
});
$('#reserve-retry').addEventListener('click', () => sendReservation());

async function sendReservation() {
  const message = $('#store-message');
  $('#reserve-button').disabled = true;
  say(message, 'Reserving…');
  const result = await call('POST', '/inventory/reserve', attempt.body, { 'Idempotency-Key': attempt.key });
  $('#reserve-button').disabled = false;
  if (result.status === 0) {
    // Keep the attempt (and its key): retrying cannot create a second hold.
    $('#reserve-retry').hidden = false;
    say(message, apiError(result), 'bad');
    return;
  }
  $('#reserve-retry').hidden = true;
  const sent = attempt;
  attempt = null;
  if (result.status === 201) {
    say(message, `Reserved ${sent.body.quantity} × ${sent.body.sku}. Complete your purchase before the timer runs out.`, 'ok');
    showHold(result.body.data);
  } else if (result.status === 409 && result.body && result.body.code === 'INSUFFICIENT_STOCK') {
    const available = result.body.details && result.body.details.available;
    say(message, available > 0 ? `Sorry, only ${available} left in stock.` : 'Sorry, this product is out of stock.', 'bad');
  } else if (result.status === 404) {
    say(message, "We couldn't find that product.", 'bad');
  } else {
    say(message, apiError(result), 'bad');
  }
}

function showHold(reservation) {
  hold = reservation;
  $('#hold-card').hidden = false;
  renderHold();
  clearInterval(holdTimer);
  holdTimer = setInterval(pollHold, 1000);
}

function renderHold() {
  $('#hold-id').textContent = hold.reservationId;
  $('#hold-item').textContent = hold.items.map((line) => `${line.quantity} × ${line.sku}`).join(', ');
  const labels = { RESERVED: 'Held for you', CONFIRMED: 'Purchased', CANCELLED: 'Cancelled', EXPIRED: 'Expired' };
  $('#hold-status').textContent = labels[hold.status] || hold.status;
  const left = Math.max(0, Math.ceil((Date.parse(hold.expiresAt) - Date.now()) / 1000));
  $('#hold-countdown').textContent = hold.status === 'RESERVED' ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : '—';
  const active = hold.status === 'RESERVED';
  $('#confirm-button').disabled = !active;
  $('#cancel-button').disabled = !active;
}

async function pollHold() {
  if (!hold) return;
  const result = await call('GET', `/reservations/${hold.reservationId}`);
  if (result.status !== 200) return;
  const before = hold.status;
  hold = result.body.data;
  renderHold();
  if (before === 'RESERVED' && hold.status === 'EXPIRED') {
    say($('#store-message'), 'Your hold expired and the items went back on sale. Reserve again to buy them.', 'bad');
  }
  if (hold.status !== 'RESERVED') clearInterval(holdTimer);
}

$('#confirm-button').addEventListener('click', async () => {
  const message = $('#store-message');
  const result = await call('POST', '/checkout/confirm', { reservationId: hold.reservationId });
  if (result.status === 200) {
    const again = hold.status === 'CONFIRMED';
    hold = result.body.data;
    say(message, again ? 'This purchase was already confirmed.' : 'Purchase confirmed. Thank you!', 'ok');
  } else if (result.status === 410) {
    hold = { ...hold, status: 'EXPIRED' };
    say(message, 'Your hold expired and the items went back on sale. Reserve again to buy them.', 'bad');
  } else if (result.status === 409) {
    say(message, 'This hold was cancelled, so it can no longer be purchased.', 'bad');
  } else {
    say(message, apiError(result), 'bad');
  }
  renderHold();
});

$('#cancel-button').addEventListener('click', async () => {
  const message = $('#store-message');
  const result = await call('POST', '/checkout/cancel', { reservationId: hold.reservationId });
  if (result.status === 200) {
    hold = result.body.data;
    say(
      message,
      hold.status === 'EXPIRED' ? 'Your hold had already expired; nothing is held.' : 'Hold cancelled; the items are back on sale.',
      'ok',
    );
  } else if (result.status === 409) {
    say(message, 'This purchase is already confirmed and cannot be cancelled.', 'bad');
  } else {
    say(message, apiError(result), 'bad');
  }
  renderHold();
});

// ---------- admin ----------
const table = { page: 1, limit: 10, sortBy: 'sku', sortOrder: 'asc', totalPages: 1 };

$('#admin-token').value = sessionStorage.getItem('adminToken') || '';
$('#credentials-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('adminToken', $('#admin-token').value.trim());
  say($('#admin-message'), 'API key saved for this browser tab.', 'ok');
  refreshTable();
});

async function refreshTable() {
  const query = `page=${table.page}&limit=${table.limit}&sortBy=${table.sortBy}&sortOrder=${table.sortOrder}`;
  const key = sessionStorage.getItem('adminToken');
  const result = await call('GET', `/admin/inventory/all?${query}`);
  // The key changed while this was on its way: the refresh made with the new key tells the truth.
  if (key !== sessionStorage.getItem('adminToken')) return;
  if (result.status !== 200) {
    say($('#admin-message'), apiError(result), 'bad');
    return;
  }
  const { items, pagination } = result.body.data;
  table.totalPages = Math.max(1, pagination.totalPages);
  const rows = items.map((item) => {
    const tr = document.createElement('tr');
    tr.dataset.sku = item.sku;
    const cells = [item.sku, item.productName, item.totalQuantity, item.availableQuantity, item.reservedQuantity, item.soldQuantity];
    cells.forEach((value, index) => {
      const td = document.createElement('td');
      td.textContent = String(value);
      if (index >= 2) td.className = 'num';
      tr.append(td);
    });
    const actions = document.createElement('td');
    actions.className = 'row-actions';
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.textContent = 'Edit';
    edit.setAttribute('aria-label', `Edit ${item.sku}`);
    edit.addEventListener('click', () => openEditor(item));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${item.sku}`);
    remove.addEventListener('click', () => deleteSku(item.sku));
    actions.append(edit, remove);
    tr.append(actions);
    return tr;
  });
  $('#stock-table tbody').replaceChildren(...rows);
  $('#page-info').textContent = `Page ${pagination.page} of ${table.totalPages} (${pagination.totalItems} SKUs)`;
  $('#page-prev').disabled = !pagination.hasPreviousPage;
  $('#page-next').disabled = !pagination.hasNextPage;
  for (const button of document.querySelectorAll('th button[data-sort]')) {
    const sorted = button.dataset.sort === table.sortBy;
    if (sorted) button.setAttribute('aria-sort', table.sortOrder === 'asc' ? 'ascending' : 'descending');
    else button.removeAttribute('aria-sort');
  }
}

for (const button of document.querySelectorAll('th button[data-sort]')) {
  button.addEventListener('click', () => {
    const field = button.dataset.sort;
    table.sortOrder = table.sortBy === field && table.sortOrder === 'asc' ? 'desc' : 'asc';
    table.sortBy = field;
    table.page = 1;
    refreshTable();
  });
}
$('#page-prev').addEventListener('click', () => {
  table.page = Math.max(1, table.page - 1);
  refreshTable();
});
$('#page-next').addEventListener('click', () => {
  table.page = Math.min(table.totalPages, table.page + 1);
  refreshTable();
});
setInterval(() => {
  if (!$('#panel-admin').hidden) refreshTable();
}, 3000);

const numberOrUndefined = (value) => (value === '' ? undefined : Number(value));

$('#create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {
    sku: $('#create-sku').value.trim(),
    productName: $('#create-name').value,
    totalQuantity: Number($('#create-total').value),
    availableQuantity: numberOrUndefined($('#create-available').value),
  };
  const result = await call('POST', '/admin/inventory', body);
  if (result.status === 201) {
    say($('#admin-message'), `Created ${body.sku}.`, 'ok');
    event.target.reset();
    refreshTable();
  } else {
    say($('#admin-message'), apiError(result), 'bad');
  }
});

let editing = null;
function openEditor(item) {
  editing = item.sku;
  $('#edit-sku').textContent = item.sku;
  $('#edit-name').value = item.productName;
  $('#edit-total').value = item.totalQuantity;
  $('#edit-available').value = item.availableQuantity;
  $('#edit-card').hidden = false;
  $('#edit-name').focus();
}
$('#edit-close').addEventListener('click', () => {
  $('#edit-card').hidden = true;
});
$('#edit-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {
    productName: $('#edit-name').value,
    totalQuantity: Number($('#edit-total').value),
    availableQuantity: Number($('#edit-available').value),
  };
  const result = await call('PUT', `/admin/inventory/${encodeURIComponent(editing)}`, body);
  if (result.status === 200) {
    say($('#admin-message'), `Saved ${editing}.`, 'ok');
    $('#edit-card').hidden = true;
    refreshTable();
  } else {
    say($('#admin-message'), apiError(result), 'bad');
  }
});

async function deleteSku(sku) {
  if (!window.confirm(`Delete ${sku}? This cannot be undone.`)) return;
  const result = await call('DELETE', `/admin/inventory/${encodeURIComponent(sku)}`);
  if (result.status === 200) say($('#admin-message'), `Deleted ${sku}.`, 'ok');
  else say($('#admin-message'), apiError(result), 'bad');
  refreshTable();
}

/** JSON array, or CSV with a header row; numbers become numbers, empty cells are left out. */
function parseBulk(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed);
  const [header, ...lines] = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = header.split(',').map((c) => c.trim());
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    const item = {};
    columns.forEach((column, i) => {
      const cell = cells[i];
      if (cell === undefined || cell === '') return;
      item[column] = /Quantity$/.test(column) && /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    });
    return item;
  });
}

$('#bulk-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const list = $('#bulk-results');
  let items;
  try {
    items = parseBulk($('#bulk-text').value);
  } catch (error) {
    list.replaceChildren(
      Object.assign(document.createElement('li'), { className: 'bad', textContent: `Could not read the input: ${error.message}` }),
    );
    return;
  }
  const result = await call('POST', '/admin/inventory/bulk', { items });
  if (result.status !== 201) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'bad', textContent: apiError(result) }));
    return;
  }
  const { success, failed, errors } = result.body.data;
  const failedRows = new Map(errors.map((e) => [e.index, e]));
  const entries = items.map((item, index) => {
    const error = failedRows.get(index);
    const li = document.createElement('li');
    li.className = error ? 'bad' : 'ok';
    li.textContent = error ? `Row ${index + 1}: ${error.message}` : `Row ${index + 1}: created ${item.sku}`;
    return li;
  });
  const summary = Object.assign(document.createElement('li'), { textContent: `${success} created, ${failed} failed` });
  list.replaceChildren(summary, ...entries);
  refreshTable();
});
