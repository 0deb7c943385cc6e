import { HoldLine, MAX_HOLD_LINES, mergeLines } from './hold-lines';
import { HoldLinesError, ReserveQuantityError } from './reservation.errors';

export function isWholeIn(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * The canonical lines of a request (summed per SKU, in SKU byte order): every line 1 to `maxQuantity` units, and
 * 1 to MAX_HOLD_LINES distinct SKUs; otherwise the 400-kind error that says which rule broke.
 */
export function canonicalLines(lines: readonly HoldLine[], maxQuantity: number): HoldLine[] {
  for (const line of lines) {
    if (!isWholeIn(line.quantity, 1, maxQuantity)) throw new ReserveQuantityError(line.quantity, maxQuantity);
  }
  const merged = mergeLines(lines);
  if (merged.length < 1 || merged.length > MAX_HOLD_LINES) throw new HoldLinesError(merged.length, MAX_HOLD_LINES);
  return merged;
}
