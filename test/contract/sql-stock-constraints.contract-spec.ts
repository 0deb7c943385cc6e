import { sql } from 'drizzle-orm';
import { describeEachBackend } from '../support/backends';
import { openSubject, RepositorySubject } from '../support/repository-subjects';
import { pgError } from '@app/persistence/drizzle/pg-errors';

/** The stock rules hold even against SQL that bypasses the application. */
describeEachBackend('inventory_items constraints', ['pglite', 'postgres'], (backend) => {
  let subject: RepositorySubject;

  beforeAll(async () => {
    subject = await openSubject(backend);
    await subject.inventory.insert({ sku: 'C-1', productName: 'Constrained', totalQuantity: 10, availableQuantity: 6 }, new Date());
  });
  afterAll(() => subject.close());

  const violations: [string, string, string][] = [
    ['negative available', 'available_quantity = -1', 'inventory_available_non_negative'],
    ['negative reserved', 'reserved_quantity = -1', 'inventory_reserved_non_negative'],
    ['negative sold', 'sold_quantity = -1', 'inventory_sold_non_negative'],
    ['more than total', 'reserved_quantity = 3, sold_quantity = 2', 'inventory_within_total'],
    [
      'sums beyond the integer range',
      'available_quantity = 1000000000, reserved_quantity = 2000000000, total_quantity = 1000000000',
      'inventory_within_total',
    ],
    ['a total over the bound', 'total_quantity = 1000000001', 'inventory_total_bounded'],
    ['a per-customer cap of zero', 'max_per_customer = 0', 'inventory_max_per_customer_positive'],
  ];

  it.each(violations)('should reject %s', async (_label, assignment, constraint) => {
    const error = await subject.handle!.db.execute(sql.raw(`UPDATE inventory_items SET ${assignment} WHERE sku = 'C-1'`)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(pgError(error)).toMatchObject({ code: '23514', constraint });
  });

  it('should reject a second row with the same SKU', async () => {
    const error = await subject
      .handle!.db.execute(
        sql.raw(`INSERT INTO inventory_items (sku, product_name, total_quantity, available_quantity) VALUES ('C-1', 'x', 1, 1)`),
      )
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgError(error)?.code).toBe('23505');
  });
});
