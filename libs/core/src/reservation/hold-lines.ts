/** One line of a hold: `quantity` units of one SKU. */
export interface HoldLine {
  sku: string;
  quantity: number;
}

/** Most lines one hold may have (after lines naming the same SKU are summed). */
export const MAX_HOLD_LINES = 100;

/** SKU byte order: every adapter that locks several SKUs takes their locks in this order, so carts never deadlock. */
export function bySku(a: HoldLine, b: HoldLine): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

/** Lines naming the same SKU summed into one, in SKU byte order: the canonical form every hold is stored and shown in. */
export function mergeLines(lines: readonly HoldLine[]): HoldLine[] {
  const units = new Map<string, number>();
  for (const { sku, quantity } of lines) units.set(sku, (units.get(sku) ?? 0) + quantity);
  return [...units].map(([sku, quantity]) => ({ sku, quantity })).sort(bySku);
}

export function sameLines(a: readonly HoldLine[], b: readonly HoldLine[]): boolean {
  const left = mergeLines(a);
  const right = mergeLines(b);
  return left.length === right.length && left.every((line, n) => line.sku === right[n].sku && line.quantity === right[n].quantity);
}

/** Units of `sku` in the lines (0 when no line names it). */
export function unitsOfSku(lines: readonly HoldLine[], sku: string): number {
  return lines.reduce((total, line) => (line.sku === sku ? total + line.quantity : total), 0);
}

export type LinesAfterRelease =
  /** The lines left (a line at zero is gone); empty when everything was released. */
  | { status: 'remaining'; lines: HoldLine[] }
  /** The first line (SKU byte order) asked to release more than it holds; `held` is 0 when the hold has no such line. */
  | { status: 'exceeds'; sku: string; held: number; requested: number };

/** The lines of a hold after `released` (summed per SKU) is taken from them; nothing is taken unless all of it fits. */
export function linesAfterRelease(held: readonly HoldLine[], released: readonly HoldLine[]): LinesAfterRelease {
  const taking = mergeLines(released);
  for (const { sku, quantity } of taking) {
    const units = unitsOfSku(held, sku);
    if (quantity > units) return { status: 'exceeds', sku, held: units, requested: quantity };
  }
  const lines = mergeLines(held)
    .map((line) => ({ sku: line.sku, quantity: line.quantity - unitsOfSku(taking, line.sku) }))
    .filter((line) => line.quantity > 0);
  return { status: 'remaining', lines };
}
