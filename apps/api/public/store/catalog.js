// Which products the grid shows, with their live availability: the whole stock when the console's operator key is
// present in this tab (GET /admin/inventory/all), otherwise the configured list (GET /inventory?skus=).

import { credentials, get } from '../shared/api.js';
import { getAvailability } from './customer-api.js';
import { MAX_LISTED_SKUS } from './settings.js';

const STOCK_PAGE = { page: 1, limit: 100, sortBy: 'productName', sortOrder: 'asc' };

const productOf = ({ sku, productName, availableQuantity, totalQuantity }) => ({ sku, productName, availableQuantity, totalQuantity });

/**
 * Resolves (never throws) to { source: 'stock' | 'list', products, missing, totalItems?, failure?, stockFailure? }.
 * An operator key that cannot read the stock (401/403) falls back to the list and says why in stockFailure.
 */
export async function loadProducts(listedSkus) {
  let stockFailure;
  if (credentials.get()) {
    const stock = await get('/admin/inventory/all', { query: STOCK_PAGE });
    if (stock.ok) {
      return { source: 'stock', products: stock.data.items.map(productOf), missing: [], totalItems: stock.data.pagination.totalItems };
    }
    if (stock.status !== 401 && stock.status !== 403) return { source: 'stock', products: null, missing: [], failure: stock };
    stockFailure = stock;
  }
  const skus = listedSkus.slice(0, MAX_LISTED_SKUS);
  if (skus.length === 0) return { source: 'list', products: [], missing: [], stockFailure };
  const listed = await getAvailability(skus);
  if (!listed.ok) return { source: 'list', products: null, missing: [], failure: listed, stockFailure };
  return { source: 'list', products: listed.data.items.map(productOf), missing: listed.data.missing, stockFailure };
}
