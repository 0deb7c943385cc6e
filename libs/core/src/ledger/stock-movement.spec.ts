import { deltasBetween, ledgerSumsOf, NO_STOCK } from './stock-movement';

const deltas = (availableDelta: number, reservedDelta: number, soldDelta: number, totalDelta: number) => ({
  availableDelta,
  reservedDelta,
  soldDelta,
  totalDelta,
});

describe(ledgerSumsOf.name, () => {
  it('should be zero for no movements', () => {
    expect(ledgerSumsOf([])).toEqual(NO_STOCK);
  });

  it('should sum each delta into its counter', () => {
    const created = deltas(10, 0, 0, 10);
    const reserved = deltas(-3, 3, 0, 0);
    const confirmed = deltas(0, -2, 2, 0);
    const released = deltas(1, -1, 0, 0);
    expect(ledgerSumsOf([created, reserved, confirmed, released])).toEqual({
      totalQuantity: 10,
      availableQuantity: 8,
      reservedQuantity: 0,
      soldQuantity: 2,
    });
  });
});

describe(deltasBetween.name, () => {
  const levels = { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 };

  it('should give the counters themselves from no stock (a creation)', () => {
    expect(deltasBetween(NO_STOCK, levels)).toEqual(deltas(5, 3, 2, 10));
  });

  it('should take every counter to zero for a deletion', () => {
    expect(deltasBetween(levels, NO_STOCK)).toEqual(deltas(-5, -3, -2, -10));
  });

  it('should give the signed difference of each counter (an adjustment)', () => {
    expect(deltasBetween(levels, { ...levels, totalQuantity: 8, availableQuantity: 3 })).toEqual(deltas(-2, 0, 0, -2));
  });

  it('should bring the ledger sums from before to after', () => {
    const after = { totalQuantity: 4, availableQuantity: 1, reservedQuantity: 1, soldQuantity: 2 };
    expect(ledgerSumsOf([deltasBetween(NO_STOCK, levels), deltasBetween(levels, after)])).toEqual(after);
  });
});
