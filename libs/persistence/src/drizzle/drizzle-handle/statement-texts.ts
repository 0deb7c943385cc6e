import { Param, Placeholder, SQL, StringChunk } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();

/** A statement as the driver takes it. */
export interface StatementQuery {
  text: string;
  values: unknown[];
}

/**
 * The texts of named prepared statements, built once per name: a name stands for one text (node-postgres refuses to
 * run a name with another text on a connection that prepared it), so after the first call only the values change, and
 * they are collected in the order drizzle numbers them ($1, $2, ...) without building the text again.
 */
export class StatementTexts {
  private readonly texts = new Map<string, { text: string; parameters: number }>();

  query(name: string, query: SQL): StatementQuery {
    const known = this.texts.get(name);
    const values = known === undefined ? null : valuesOf(query);
    if (known !== undefined && values !== null) {
      // A name given to two texts would bind one statement's values to the other's text: refuse it outright.
      if (values.length !== known.parameters) throw new Error(`Prepared statement '${name}' was given two different texts`);
      return { text: known.text, values };
    }
    const built = dialect.sqlToQuery(query);
    this.texts.set(name, { text: built.sql, parameters: built.params.length });
    return { text: built.sql, values: built.params };
  }
}

/**
 * The parameter values of `query`, in the order drizzle's SQL.buildQueryFromSourceParams numbers them, for the chunks
 * hand-written statements are made of (text, nested SQL, values, `sql.param`). Null when the query holds anything else
 * (names, tables, columns, placeholders, inlined params): the caller then builds it the full way.
 */
export function valuesOf(query: SQL): unknown[] | null {
  const values: unknown[] = [];
  return collect(query, values) ? values : null;
}

function collect(query: SQL, values: unknown[]): boolean {
  if ((query as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return false;
  for (const chunk of query.queryChunks) {
    if (chunk instanceof StringChunk || chunk === undefined) continue;
    if (chunk instanceof SQL) {
      if (!collect(chunk, values)) return false;
    } else if (chunk instanceof Param) {
      if (chunk.value instanceof Placeholder) return false;
      // One parameter whatever the value (an array too), unless the encoder turned it into SQL.
      const value: unknown = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
      if (value instanceof SQL) {
        if (!collect(value, values)) return false;
      } else {
        values.push(value);
      }
    } else if (isPlainValue(chunk)) {
      values.push(chunk);
    } else {
      return false;
    }
  }
  return true;
}

/** A value drizzle binds as one parameter as it is: not an array (expanded to a list) nor one of drizzle's own objects. */
function isPlainValue(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return false;
  return value instanceof Date || Object.getPrototypeOf(value) === Object.prototype;
}
