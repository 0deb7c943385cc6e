// What the shopper or operator set for this storefront: who is shopping, the customer key, which products to show.

const SHOPPER_ID = 'irs.store.shopperId';
const PRODUCT_SKUS = 'irs.store.skus';
// A key is a secret: it lives for this browser tab only, like the console's key.
const CUSTOMER_KEY = 'irs.store.customerKey';

/** The API's SKU rule: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** GET /inventory?skus= takes at most this many. */
export const MAX_LISTED_SKUS = 100;

/** SKUs separated by commas, semicolons, spaces or new lines; duplicates dropped, order kept. */
export function parseSkuList(text) {
  const skus = text
    .split(/[\s,;]+/)
    .map((sku) => sku.trim())
    .filter((sku) => sku !== '');
  return [...new Set(skus)];
}

export const settings = {
  shopperId() {
    let id = localStorage.getItem(SHOPPER_ID);
    if (!id) {
      id = `shopper-${crypto.randomUUID().slice(0, 8)}`;
      localStorage.setItem(SHOPPER_ID, id);
    }
    return id;
  },
  setShopperId(id) {
    localStorage.setItem(SHOPPER_ID, id);
  },
  customerKey() {
    return sessionStorage.getItem(CUSTOMER_KEY) || '';
  },
  setCustomerKey(key) {
    if (key) sessionStorage.setItem(CUSTOMER_KEY, key);
    else sessionStorage.removeItem(CUSTOMER_KEY);
  },
  /** The list saved in Shop settings, or null when none was ever saved (then the shop's catalog.json applies). */
  savedSkus() {
    const saved = localStorage.getItem(PRODUCT_SKUS);
    return saved === null ? null : JSON.parse(saved);
  },
  saveSkus(skus) {
    localStorage.setItem(PRODUCT_SKUS, JSON.stringify(skus));
  },
};

/** The shop's own default list: store/catalog.json, which the operator edits ({ "skus": [...] }). */
export async function catalogSkus() {
  try {
    const response = await fetch('/store/catalog.json', { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return [];
    const body = await response.json();
    return Array.isArray(body.skus) ? body.skus.filter((sku) => typeof sku === 'string') : [];
  } catch {
    return [];
  }
}
