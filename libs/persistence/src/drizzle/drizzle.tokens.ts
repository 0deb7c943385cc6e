/** DI token of the open DrizzleHandle (PostgreSQL pool or PGlite). */
export const DRIZZLE_HANDLE = Symbol('DRIZZLE_HANDLE');
