// The cart: lines of { sku, productName, quantity }, one per SKU, kept in localStorage so a reload keeps it.

const CART = 'irs.store.cart';
/** RESERVATION_MAX_QUANTITY's default; the API names the configured limit if it is lower. */
export const MAX_LINE_QUANTITY = 10_000;

const validLine = (line) => line && typeof line.sku === 'string' && Number.isInteger(line.quantity) && line.quantity >= 1;

function load() {
  try {
    const lines = JSON.parse(localStorage.getItem(CART) || '[]');
    return Array.isArray(lines) ? lines.filter(validLine) : [];
  } catch {
    return [];
  }
}

export function createCart() {
  let lines = load();
  const listeners = new Set();
  const changed = () => {
    localStorage.setItem(CART, JSON.stringify(lines));
    for (const listener of listeners) listener();
  };
  const clamp = (quantity) => Math.min(MAX_LINE_QUANTITY, Math.max(1, Math.floor(quantity)));

  return {
    lines: () => lines.map((line) => ({ ...line })),
    isEmpty: () => lines.length === 0,
    quantityOf: (sku) => lines.find((line) => line.sku === sku)?.quantity ?? 0,
    onChange(listener) {
      listeners.add(listener);
    },
    add(product, quantity = 1) {
      const line = lines.find((l) => l.sku === product.sku);
      if (line) line.quantity = clamp(line.quantity + quantity);
      else lines.push({ sku: product.sku, productName: product.productName, quantity: clamp(quantity) });
      changed();
    },
    /** A quantity below 1 removes the line. */
    setQuantity(sku, quantity) {
      if (!(quantity >= 1)) lines = lines.filter((line) => line.sku !== sku);
      else lines = lines.map((line) => (line.sku === sku ? { ...line, quantity: clamp(quantity) } : line));
      changed();
    },
    remove(sku) {
      lines = lines.filter((line) => line.sku !== sku);
      changed();
    },
    clear() {
      lines = [];
      changed();
    },
  };
}
