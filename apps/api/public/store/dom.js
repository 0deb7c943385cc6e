// Small DOM helpers for the storefront: no framework, no inline styles (the CSP forbids them).

export const $ = (selector, root = document) => root.querySelector(selector);

/** An element with a class, text, attributes and children: el('li', { className: 'x', text: 'y', attrs: { 'data-sku': 'A' } }). */
export function el(tag, { className, text, attrs = {} } = {}, ...children) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

/** Shows a message in a status element; tone is 'ok', 'bad' or '' (neutral). */
export function say(element, text, tone = '') {
  element.textContent = text;
  element.className = `message ${tone}`.trim();
}

/**
 * Keeps one child of `list` per item, in the items' order. Children whose key stays are updated in place, so a
 * refresh every few seconds never steals focus from a button or an input the shopper is using.
 */
export function syncList(list, items, keyOf, create, update) {
  const existing = new Map([...list.children].map((child) => [child.dataset.key, child]));
  const wanted = items.map((item) => {
    const key = keyOf(item);
    let child = existing.get(key);
    if (!child) {
      child = create(item);
      child.dataset.key = key;
    }
    existing.delete(key);
    update(child, item);
    return child;
  });
  for (const stale of existing.values()) stale.remove();
  wanted.forEach((child, index) => {
    if (list.children[index] !== child) list.insertBefore(child, list.children[index] ?? null);
  });
}

let nextId = 0;
/** A fresh element id (SKUs may hold characters that make poor ids). */
export const uniqueId = (prefix) => `${prefix}-${++nextId}`;
