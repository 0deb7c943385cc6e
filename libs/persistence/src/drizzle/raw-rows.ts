import { SQL } from 'drizzle-orm';
import { AppDatabase } from './drizzle-database';

/** Runs hand-written SQL on either driver; node-postgres and PGlite both answer with `rows`. */
export async function queryRows<T extends Record<string, unknown>>(db: AppDatabase, query: SQL): Promise<T[]> {
  const result = (await db.execute<T>(query)) as { rows: T[] };
  return result.rows;
}

/** Timestamps as bound parameters: ISO text with an explicit cast reads the same on both drivers. */
export function isoTimestamp(date: Date): string {
  return date.toISOString();
}

export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
