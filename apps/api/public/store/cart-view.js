// The cart's lines: quantity inputs, "Remove", and a note on each line that cannot be held as it is.

import { el, syncList, uniqueId } from './dom.js';
import { MAX_LINE_QUANTITY } from './cart.js';

function createLine(line, cart) {
  const nameId = uniqueId('cart-name');
  const inputId = uniqueId('cart-quantity');
  const input = el('input', {
    className: 'quantity',
    attrs: { id: inputId, type: 'number', min: 1, max: MAX_LINE_QUANTITY, step: 1, inputmode: 'numeric', required: true },
  });
  input.addEventListener('change', () => {
    // A cleared field puts the quantity back; 0 removes the line.
    if (input.value.trim() === '' || !Number.isFinite(Number(input.value))) input.value = String(cart.quantityOf(item.dataset.sku));
    else cart.setQuantity(item.dataset.sku, Number(input.value));
  });
  const remove = el('button', { className: 'secondary', text: 'Remove', attrs: { type: 'button', 'aria-describedby': nameId } });
  remove.addEventListener('click', () => cart.remove(item.dataset.sku));
  const item = el(
    'li',
    { className: 'line', attrs: { 'data-sku': line.sku } },
    el(
      'div',
      { className: 'line-head' },
      el('span', { className: 'line-name', attrs: { id: nameId } }),
      el('span', { className: 'mono', text: line.sku }),
    ),
    el(
      'div',
      { className: 'line-controls' },
      el('label', { attrs: { for: inputId } }, 'Quantity', el('span', { className: 'visually-hidden line-label-name' })),
      input,
      remove,
    ),
    el('p', { className: 'line-note bad-text' }),
  );
  return item;
}

/** Why a line cannot be held as it is: the last reserve's answer for it, else the live availability. */
function noteFor(line, available, issues) {
  if (issues.has(line.sku)) return issues.get(line.sku);
  if (available === undefined || line.quantity <= available) return '';
  return available === 0 ? 'Sold out right now.' : `Only ${available} available right now.`;
}

export function renderCart(list, lines, { cart, availability, issues, locked }) {
  syncList(
    list,
    lines,
    (line) => line.sku,
    (line) => createLine(line, cart),
    (item, line) => {
      item.querySelector('.line-name').textContent = line.productName;
      item.querySelector('.line-label-name').textContent = ` of ${line.productName}`;
      const input = item.querySelector('input');
      if (document.activeElement !== input) input.value = String(line.quantity);
      input.disabled = locked;
      item.querySelector('button').disabled = locked;
      const note = noteFor(line, availability.get(line.sku), issues);
      item.querySelector('.line-note').textContent = note;
      item.querySelector('.line-note').hidden = note === '';
    },
  );
}
