// The storefront: product grid with live availability, a cart reserved as one hold, and the hold itself.

import { describeError } from '../shared/api.js';
import { createCart } from './cart.js';
import { renderCart } from './cart-view.js';
import { loadProducts } from './catalog.js';
import { attemptReserve, getProduct, unanswered } from './customer-api.js';
import { $, say } from './dom.js';
import { createHoldSession } from './hold-session.js';
import { renderCountdown, renderHold } from './hold-view.js';
import { keyProblem, notAnswered, reserveFailure } from './outcomes.js';
import { renderGrid } from './product-grid.js';
import { catalogSkus, MAX_LISTED_SKUS, parseSkuList, settings, SKU_PATTERN } from './settings.js';

const REFRESH_MS = 5_000;

/** Product names by SKU, from every list the page has seen (holds carry SKUs only). */
const names = new Map();
/** Units available by SKU, from the last refresh of the grid. */
const availability = new Map();
const cart = createCart();
for (const line of cart.lines()) names.set(line.sku, line.productName);

/** The cart's reservation: its attempt is kept, with its idempotency key, until the API has answered it. */
const reserve = { attempt: null, busy: false, issues: new Map(), shortages: [] };
let listedSkus = [];
let refreshing = false;
/** Shop settings open by themselves once when a key is missing, not again on every refresh the shopper sees. */
let askedForKey = false;

const session = createHoldSession({
  names,
  onChange: () => {
    renderHold(session, names);
    renderCartPanel();
  },
});

function openSettingsForKey() {
  $('#settings').open = true;
}

// ---------- products ----------
function sourceText(result) {
  if (result.source !== 'stock') return '';
  const shown = result.products.length;
  return result.totalItems > shown
    ? `The first ${shown} of ${result.totalItems} products in stock, by name (you are signed in to Operations).`
    : 'Everything in stock (you are signed in to Operations).';
}

function stockFallbackText(failure) {
  const why = failure.status === 403 ? `it lacks ${failure.details?.requiredScope || 'inventory:read'}` : 'it is unknown or revoked';
  return `Showing this shop's list: your Operations key cannot list the whole stock (${why}).`;
}

async function refreshProducts() {
  if (refreshing) return;
  refreshing = true;
  const result = await loadProducts(listedSkus);
  refreshing = false;
  const problems = [];
  if (result.stockFailure) problems.push(stockFallbackText(result.stockFailure));
  if (result.products === null) {
    const keyText = keyProblem(result.failure);
    if (keyText && !askedForKey) openSettingsForKey();
    askedForKey = keyText !== null;
    problems.push(keyText || `Availability could not be loaded: ${describeError(result.failure)}`);
    say($('#products-message'), problems.join(' '), 'bad');
    return; // keep showing the last known grid
  }
  askedForKey = false;
  if (result.missing.length > 0) problems.push(`Not found: ${result.missing.join(', ')}.`);
  say($('#products-message'), problems.join(' '), problems.length > 0 ? 'bad' : '');
  for (const product of result.products) {
    names.set(product.sku, product.productName);
    availability.set(product.sku, product.availableQuantity);
  }
  $('#products-source').textContent = sourceText(result);
  $('#find-form').hidden = result.source === 'stock';
  $('#products-empty').hidden = result.products.length > 0;
  renderGrid($('#product-grid'), result.products, { quantityOf: cart.quantityOf, onAdd: addToCart });
  renderCartPanel();
}

function addToCart(product) {
  cart.add(product, 1);
  say($('#cart-message'), `Added ${product.productName} to your cart.`, 'ok');
}

$('#find-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const sku = $('#find-sku').value.trim();
  const message = $('#products-message');
  if (!SKU_PATTERN.test(sku)) return say(message, `"${sku}" is not a SKU: use letters, digits, '.', '_' or '-'.`, 'bad');
  const found = await getProduct(sku);
  if (!found.ok) {
    if (found.status === 404) return say(message, `We could not find a product with SKU ${sku}.`, 'bad');
    if (keyProblem(found)) openSettingsForKey();
    return say(message, keyProblem(found) || describeError(found), 'bad');
  }
  if (!listedSkus.includes(found.data.sku)) {
    listedSkus = [found.data.sku, ...listedSkus].slice(0, MAX_LISTED_SKUS);
    settings.saveSkus(listedSkus);
    $('#product-skus').value = listedSkus.join('\n');
  }
  $('#find-sku').value = '';
  await refreshProducts();
  $(`#product-grid li[data-sku="${CSS.escape(found.data.sku)}"] button`)?.focus();
});

// ---------- cart ----------
function renderCartPanel() {
  const lines = cart.lines();
  const pending = reserve.attempt !== null && !reserve.busy;
  const locked = reserve.busy || reserve.attempt !== null;
  renderCart($('#cart-lines'), lines, { cart, availability, issues: reserve.issues, locked });
  $('#cart-empty').hidden = lines.length > 0;
  $('#cart-hint').hidden = !session.active() || lines.length === 0;
  $('#reserve-button').hidden = pending;
  $('#reserve-button').disabled = locked || lines.length === 0 || session.active();
  $('#reserve-retry').hidden = !pending;
  $('#reserve-discard').hidden = !pending;
  $('#take-available').hidden = locked || reserve.shortages.length === 0;
  for (const card of $('#product-grid').children) {
    const note = card.querySelector('.in-cart');
    const inCart = cart.quantityOf(card.dataset.sku);
    note.textContent = inCart > 0 ? `${inCart} in your cart` : '';
    note.hidden = inCart === 0;
  }
}

cart.onChange(() => {
  reserve.issues = new Map();
  reserve.shortages = [];
  renderCartPanel();
});

async function sendReservation() {
  reserve.busy = true;
  say($('#cart-message'), 'Reserving your cart…');
  renderCartPanel();
  const result = await reserve.attempt.send();
  reserve.busy = false;
  if (unanswered(result)) {
    say($('#cart-message'), notAnswered(result), 'bad');
    return renderCartPanel();
  }
  reserve.attempt = null;
  if (result.ok) {
    const units = result.data.items.reduce((sum, line) => sum + line.quantity, 0);
    cart.clear();
    say($('#cart-message'), '');
    session.start(result.data, `Held ${units} ${units === 1 ? 'item' : 'items'} for you: buy them before the time runs out.`);
    $('#hold-heading').focus();
  } else {
    noteFailure(result);
    say($('#cart-message'), reserveFailure(result, names), 'bad');
    renderCartPanel();
  }
  void refreshProducts();
}

/** Marks the lines the API named: short ones (with what is available), unknown SKUs, a per-customer cap. */
function noteFailure(result) {
  const details = result.details || {};
  reserve.issues = new Map();
  reserve.shortages = [];
  if (keyProblem(result)) openSettingsForKey();
  if (result.code === 'INSUFFICIENT_STOCK') {
    reserve.shortages = details.shortages || [];
    for (const { sku, available } of reserve.shortages) {
      availability.set(sku, available);
      reserve.issues.set(sku, available === 0 ? 'Sold out.' : `Only ${available} left.`);
    }
  } else if (result.code === 'INVENTORY_NOT_FOUND') {
    for (const sku of details.missing || [details.sku]) {
      reserve.shortages.push({ sku, available: 0 });
      reserve.issues.set(sku, 'No longer sold.');
    }
  } else if (result.code === 'PER_CUSTOMER_LIMIT_EXCEEDED') {
    const already = details.heldByCustomer > 0 ? ` You already hold ${details.heldByCustomer}.` : '';
    reserve.issues.set(details.sku, `At most ${details.maxPerCustomer} per customer.${already}`);
  }
}

$('#reserve-button').addEventListener('click', () => {
  const lines = cart.lines();
  if (lines.length === 0 || reserve.attempt) return;
  reserve.attempt = attemptReserve({ userId: settings.shopperId(), items: lines.map(({ sku, quantity }) => ({ sku, quantity })) });
  void sendReservation();
});
$('#reserve-retry').addEventListener('click', () => void sendReservation());
$('#reserve-discard').addEventListener('click', () => {
  reserve.attempt = null;
  say($('#cart-message'), 'Change your cart, then reserve it again.');
  renderCartPanel();
});
$('#take-available').addEventListener('click', () => {
  const shortages = reserve.shortages;
  for (const { sku, available } of shortages) cart.setQuantity(sku, available);
  say($('#cart-message'), 'Your cart now asks only for what is available. Reserve it again.', 'ok');
});

// ---------- hold ----------
$('#confirm-button').addEventListener('click', () => void session.confirm());
$('#cancel-button').addEventListener('click', () => void session.cancel());
$('#extend-button').addEventListener('click', () => void session.extend());
$('#hold-retry').addEventListener('click', () => void session.retry());
$('#done-button').addEventListener('click', () => {
  session.dismiss();
  $('#cart-heading').focus();
});

// ---------- settings ----------
function fillSettings() {
  $('#shopper-id').value = settings.shopperId();
  $('#customer-key').value = settings.customerKey();
  $('#product-skus').value = listedSkus.join('\n');
}

$('#settings-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const message = $('#settings-message');
  const shopperId = $('#shopper-id').value.trim();
  const skus = parseSkuList($('#product-skus').value);
  const bad = skus.filter((sku) => !SKU_PATTERN.test(sku));
  if (!shopperId) return say(message, 'Enter your customer id.', 'bad');
  if (bad.length > 0) return say(message, `Not a SKU: ${bad.join(', ')} (use letters, digits, '.', '_' or '-').`, 'bad');
  if (skus.length > MAX_LISTED_SKUS) return say(message, `List at most ${MAX_LISTED_SKUS} products (you listed ${skus.length}).`, 'bad');
  settings.setShopperId(shopperId);
  settings.setCustomerKey($('#customer-key').value.trim());
  settings.saveSkus(skus);
  listedSkus = skus;
  say(message, 'Saved.', 'ok');
  void refreshProducts();
});

// ---------- start and keep fresh ----------
setInterval(() => {
  renderCountdown(session);
  if (session.active() && session.secondsLeft() === 0) void session.poll();
}, 1_000);
setInterval(() => {
  if (document.hidden) return;
  void refreshProducts();
  void session.poll();
}, REFRESH_MS);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void refreshProducts();
});

listedSkus = settings.savedSkus() ?? (await catalogSkus());
fillSettings();
renderCartPanel();
void refreshProducts();
void session.resume();
