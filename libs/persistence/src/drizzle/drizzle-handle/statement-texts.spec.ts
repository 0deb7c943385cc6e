import { NewReservation, ResponseRecord } from '@app/core';
import { sql, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { insertHoldUnderCaps, reserveCart, reserveOneLine, whyNotReserved } from '../drizzle-hold-statements';
import { StatementTexts, valuesOf } from './statement-texts';

const dialect = new PgDialect();

const hold = (n: number, skus: string[], clientId = 'anonymous'): NewReservation => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  userId: `user-${n}`,
  items: skus.map((sku, i) => ({ sku, quantity: n + i })),
  clientId,
  idempotencyKey: `key-${n}`,
  createdAt: new Date(Date.UTC(2026, 0, n)),
  expiresAt: new Date(Date.UTC(2026, 0, n + 1)),
});
const record = (n: number): ResponseRecord => ({
  scope: `reserve:client-${n}`,
  key: `key-${n}`,
  fingerprint: 'f'.repeat(64),
  token: `00000000-0000-4000-8000-00000000010${n}`,
  now: new Date(Date.UTC(2026, 0, n)),
  retainUntil: new Date(Date.UTC(2026, 0, n + 2)),
  response: { statusCode: 201, body: { success: true, data: { n, list: [n, 'x'] } } },
});

describe(StatementTexts.name, () => {
  describe('valuesOf', () => {
    it.each([
      ['one line', (n: number) => reserveOneLine(hold(n, [`A${n}`]))],
      ['one line with a record', (n: number) => reserveOneLine(hold(n, [`A${n}`], `client-${n}`), record(n))],
      ['a cart (array parameters)', (n: number) => reserveCart(hold(n, [`A${n}`, `B${n}`, `C${n}`]))],
      ['a cart with a record', (n: number) => reserveCart(hold(n, [`A${n}`, `B${n}`]), record(n))],
      ['the capped insert', (n: number) => insertHoldUnderCaps(hold(n, [`A${n}`, `B${n}`]), new Map([[`A${n}`, n]]), record(n))],
      ['why not reserved', (n: number) => whyNotReserved(hold(n, [`A${n}`]))],
    ])('should give the values drizzle binds, in its order (%s)', (_label, build) => {
      for (const n of [1, 2, 3]) {
        const query = build(n);
        expect(valuesOf(query)).toEqual(dialect.sqlToQuery(query).params);
      }
    });

    it('should give up on chunks hand-written statements do not use', () => {
      expect(valuesOf(sql`SELECT ${sql.placeholder('x')}`)).toBeNull();
      expect(valuesOf(sql`SELECT * FROM ${sql.identifier('t')}`)).toBeNull();
      expect(valuesOf(sql`SELECT ${['a', 'b']}`)).toBeNull();
      expect(valuesOf(sql`SELECT ${'a'}`.inlineParams())).toBeNull();
    });
  });

  describe('query', () => {
    it('should keep the first text of a name and bind each call its own values', () => {
      const texts = new StatementTexts();
      const first = reserveOneLine(hold(1, ['A']), record(1));
      const second = reserveOneLine(hold(2, ['B']), record(2));
      expect(texts.query('reserve', first)).toEqual({ text: dialect.sqlToQuery(first).sql, values: dialect.sqlToQuery(first).params });
      expect(texts.query('reserve', second)).toEqual({ text: dialect.sqlToQuery(second).sql, values: dialect.sqlToQuery(second).params });
    });

    it('should refuse a name given to a text with another number of values', () => {
      const texts = new StatementTexts();
      texts.query('one', sql`SELECT ${1}`);
      expect(() => texts.query('one', sql`SELECT ${1}, ${2}`)).toThrow("Prepared statement 'one' was given two different texts");
    });

    it('should build a statement it cannot read values from the full way each time', () => {
      const texts = new StatementTexts();
      const query = (table: string): SQL => sql`SELECT * FROM ${sql.identifier(table)} WHERE id = ${1}`;
      expect(texts.query('q', query('a')).text).toBe('SELECT * FROM "a" WHERE id = $1');
      expect(texts.query('q', query('b')).text).toBe('SELECT * FROM "b" WHERE id = $1');
    });
  });
});
