// The product grid: one card per product with its live availability and "Add to cart".

import { el, syncList, uniqueId } from './dom.js';

const FEW_LEFT = 5;

/** The availability badge: its words and tone. */
export function availabilityOf(available) {
  if (available <= 0) return { text: 'Sold out', tone: 'bad' };
  if (available <= FEW_LEFT) return { text: `Only ${available} left`, tone: 'warn' };
  return { text: `${available} available`, tone: 'ok' };
}

function createCard(product, onAdd) {
  const nameId = uniqueId('product-name');
  const card = el(
    'li',
    { className: 'product-card', attrs: { 'data-sku': product.sku } },
    el('h3', { className: 'product-name', attrs: { id: nameId } }),
    el('p', { className: 'product-sku mono', text: product.sku }),
    el('p', { className: 'availability' }, el('span', { className: 'badge' })),
    el('p', { className: 'in-cart hint' }),
  );
  const add = el('button', { text: 'Add to cart', attrs: { type: 'button', 'aria-describedby': nameId } });
  add.addEventListener('click', () => onAdd(card.product));
  card.append(add);
  return card;
}

function updateCard(card, product, inCart) {
  card.product = product;
  card.querySelector('.product-name').textContent = product.productName;
  const { text, tone } = availabilityOf(product.availableQuantity);
  const badge = card.querySelector('.badge');
  badge.textContent = text;
  badge.className = `badge ${tone}`;
  const note = card.querySelector('.in-cart');
  note.textContent = inCart > 0 ? `${inCart} in your cart` : '';
  note.hidden = inCart === 0;
  card.querySelector('button').disabled = product.availableQuantity <= 0;
}

export function renderGrid(list, products, { quantityOf, onAdd }) {
  syncList(
    list,
    products,
    (product) => product.sku,
    (product) => createCard(product, onAdd),
    (card, product) => updateCard(card, product, quantityOf(product.sku)),
  );
}
