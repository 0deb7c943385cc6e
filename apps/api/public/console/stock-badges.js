// What a stock row's badges say: out of stock at 0 available, low stock below the SKU's threshold.
import { badge } from './dom.js';

export function stockState(item) {
  if (item.availableQuantity === 0) return 'out';
  if (item.lowStockThreshold !== null && item.lowStockThreshold !== undefined && item.availableQuantity < item.lowStockThreshold) {
    return 'low';
  }
  return 'ok';
}

export function stockBadge(item) {
  const state = stockState(item);
  if (state === 'out') return badge('Out of stock', 'bad');
  if (state === 'low') return badge('Low stock', 'warn');
  return badge('In stock', 'ok');
}
