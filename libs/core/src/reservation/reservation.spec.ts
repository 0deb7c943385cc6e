import { isConsistent, StockReconciliation } from './reservation';

describe('isConsistent', () => {
  const agreeing: StockReconciliation = {
    sku: 'A',
    totalQuantity: 10,
    availableQuantity: 5,
    reservedQuantity: 3,
    soldQuantity: 2,
    heldByActiveReservations: 3,
    soldByConfirmedReservations: 2,
    ledger: { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 },
  };

  it('should hold when the counters equal the sums of the holds and of the ledger and keep the stock rules', () => {
    expect(isConsistent(agreeing)).toBe(true);
  });

  it('should fail when the reserved counter differs from the RESERVED holds', () => {
    expect(isConsistent({ ...agreeing, heldByActiveReservations: 2 })).toBe(false);
  });

  it('should fail when the sold counter differs from the CONFIRMED holds', () => {
    expect(isConsistent({ ...agreeing, soldByConfirmedReservations: 3 })).toBe(false);
  });

  it.each(['totalQuantity', 'availableQuantity', 'reservedQuantity', 'soldQuantity'] as const)(
    'should fail when the ledger sum of %s differs from the counter',
    (field) => {
      expect(isConsistent({ ...agreeing, ledger: { ...agreeing.ledger, [field]: agreeing.ledger[field] + 1 } })).toBe(false);
    },
  );

  it('should fail when the counters agree with the holds but exceed the total', () => {
    expect(isConsistent({ ...agreeing, totalQuantity: 9, ledger: { ...agreeing.ledger, totalQuantity: 9 } })).toBe(false);
  });

  it('should fail when a counter is negative', () => {
    expect(isConsistent({ ...agreeing, availableQuantity: -1, ledger: { ...agreeing.ledger, availableQuantity: -1 } })).toBe(false);
  });
});
