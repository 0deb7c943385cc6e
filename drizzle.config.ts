import { defineConfig } from 'drizzle-kit';

/** `npm run db:generate` writes a new SQL migration from the schema; migrations are applied at startup. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/persistence/src/drizzle/schema.ts',
  out: './libs/persistence/src/drizzle/migrations',
});
