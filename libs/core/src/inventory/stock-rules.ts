import { InventoryChanges } from './inventory-item';

export interface StockLevels {
  totalQuantity: number;
  availableQuantity: number;
  reservedQuantity: number;
  soldQuantity: number;
}

/** Upper bound for any single quantity; keeps sums far from integer overflow in every backend. */
export const MAX_QUANTITY = 1_000_000_000;

/** The stock rule a set of levels breaks, in words an admin can act on, or null when all hold. */
export function brokenStockRule(levels: StockLevels): string | null {
  for (const field of ['totalQuantity', 'availableQuantity', 'reservedQuantity', 'soldQuantity'] as const) {
    const value = levels[field];
    if (!Number.isSafeInteger(value)) return `${field} must be a whole number (got ${value})`;
    if (value < 0) return `${field} must not be negative (got ${value})`;
    if (value > MAX_QUANTITY) return `${field} must not exceed ${MAX_QUANTITY} (got ${value})`;
  }
  const { totalQuantity, availableQuantity, reservedQuantity, soldQuantity } = levels;
  if (availableQuantity + reservedQuantity + soldQuantity > totalQuantity) {
    return (
      `availableQuantity + reservedQuantity + soldQuantity must not exceed totalQuantity ` +
      `(${availableQuantity} + ${reservedQuantity} + ${soldQuantity} > ${totalQuantity})`
    );
  }
  return null;
}

/** The levels that applying `changes` to `current` would produce. */
export function applyStockChanges(current: StockLevels, changes: InventoryChanges): StockLevels {
  return {
    totalQuantity: changes.totalQuantity ?? current.totalQuantity,
    availableQuantity: changes.availableQuantity ?? current.availableQuantity,
    reservedQuantity: current.reservedQuantity,
    soldQuantity: current.soldQuantity,
  };
}

/** What is wrong with a per-customer cap, or null when it is absent or a whole number from 1 to MAX_QUANTITY. */
export function brokenCapRule(maxPerCustomer: number | null | undefined): string | null {
  if (maxPerCustomer === undefined || maxPerCustomer === null) return null;
  if (!Number.isSafeInteger(maxPerCustomer) || maxPerCustomer < 1 || maxPerCustomer > MAX_QUANTITY) {
    return `maxPerCustomer must be a whole number from 1 to ${MAX_QUANTITY} (got ${maxPerCustomer})`;
  }
  return null;
}
