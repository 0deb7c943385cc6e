import { applyStockChanges, brokenCapRule, brokenStockRule } from './stock-rules';

describe('brokenStockRule', () => {
  const levels = { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 };

  it('should accept levels that add up to the total', () => {
    expect(brokenStockRule(levels)).toBeNull();
  });

  it('should accept levels below the total', () => {
    expect(brokenStockRule({ ...levels, availableQuantity: 0 })).toBeNull();
  });

  it('should name the sum rule with the numbers when the parts exceed the total', () => {
    expect(brokenStockRule({ ...levels, totalQuantity: 9 })).toBe(
      'availableQuantity + reservedQuantity + soldQuantity must not exceed totalQuantity (5 + 3 + 2 > 9)',
    );
  });

  it.each(['totalQuantity', 'availableQuantity', 'reservedQuantity', 'soldQuantity'] as const)(
    'should name %s when it is negative',
    (field) => {
      expect(brokenStockRule({ ...levels, [field]: -1 })).toBe(`${field} must not be negative (got -1)`);
    },
  );
});

describe('brokenStockRule bounds', () => {
  const levels = { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 };

  it('should refuse fractions and values over MAX_QUANTITY', () => {
    expect(brokenStockRule({ ...levels, availableQuantity: 1.5 })).toBe('availableQuantity must be a whole number (got 1.5)');
    expect(brokenStockRule({ ...levels, totalQuantity: 3_000_000_000 })).toBe('totalQuantity must not exceed 1000000000 (got 3000000000)');
  });
});

describe('applyStockChanges', () => {
  it('should replace only the given quantities and keep reserved and sold', () => {
    const current = { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 };
    expect(applyStockChanges(current, { totalQuantity: 20 })).toEqual({ ...current, totalQuantity: 20 });
    expect(applyStockChanges(current, { availableQuantity: 0, productName: 'x' })).toEqual({ ...current, availableQuantity: 0 });
  });
});

describe('brokenCapRule', () => {
  it('should accept no cap and whole numbers from 1 to MAX_QUANTITY', () => {
    for (const cap of [undefined, null, 1, 1_000_000_000]) expect(brokenCapRule(cap)).toBeNull();
  });

  it.each([0, -1, 1.5, 1_000_000_001])('should refuse %p', (cap) => {
    expect(brokenCapRule(cap)).toBe(`maxPerCustomer must be a whole number from 1 to 1000000000 (got ${cap})`);
  });
});
