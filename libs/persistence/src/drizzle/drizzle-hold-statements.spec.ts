import { NewReservation } from '@app/core';
import { sql, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import {
  insertHoldUnderCaps,
  releaseLines,
  reserveCart,
  reserveCartStock,
  reserveOneLine,
  returnLinesOf,
  whyNotReserved,
} from './drizzle-hold-statements';

/**
 * The hold statements as PostgreSQL receives them, kept in __snapshots__ so a reviewer reads the SQL and a change to
 * it shows up in the diff (their behaviour is covered by the contract suites on PGlite and PostgreSQL).
 */
const dialect = new PgDialect();
const text = (query: SQL) => {
  const { sql: statement, params } = dialect.sqlToQuery(query);
  return `${statement.replace(/\n\s*\n/g, '\n')}\n-- params: ${JSON.stringify(params)}`;
};

const at = new Date('2026-01-01T00:00:00Z');
const hold = (skus: string[]): NewReservation => ({
  id: '00000000-0000-4000-8000-000000000001',
  userId: 'user-1',
  items: skus.map((sku, n) => ({ sku, quantity: n + 1 })),
  clientId: 'anonymous',
  idempotencyKey: 'key-1',
  createdAt: at,
  expiresAt: new Date('2026-01-01T00:10:00Z'),
});

describe('Hold statements', () => {
  it.each([
    ['reserveOneLine', () => reserveOneLine(hold(['A']))],
    ['reserveCart', () => reserveCart(hold(['A', 'B', 'C']))],
    ['reserveCartStock', () => reserveCartStock(hold(['A', 'B']), 5)],
    [
      'insertHoldUnderCaps',
      () =>
        insertHoldUnderCaps(
          hold(['A', 'B']),
          new Map([
            ['A', 3],
            ['B', null],
          ]),
        ),
    ],
    ['whyNotReserved', () => whyNotReserved(hold(['A', 'B']))],
    ['returnLinesOf', () => sql`WITH held AS (SELECT 1), ${returnLinesOf(sql`held`, at.toISOString(), 'sold')} SELECT 1`],
    [
      'releaseLines',
      () =>
        releaseLines('00000000-0000-4000-8000-000000000001', [{ sku: 'A', quantity: 1 }], [{ sku: 'B', quantity: 2 }], at.toISOString(), {
          actor: 'key-1',
        }),
    ],
  ])('%s', (_name, build) => {
    expect(text(build())).toMatchSnapshot();
  });

  it('should send the cart statement with the same text whatever the number of lines (one prepared statement)', () => {
    const statement = (skus: string[]) => dialect.sqlToQuery(reserveCart(hold(skus))).sql;
    expect(statement(['A', 'B'])).toBe(statement(['A', 'B', 'C', 'D']));
  });
});
