// Copies the committed SQL migrations next to the compiled persistence code, where the migrator looks for them.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const from = join(root, 'libs/persistence/src/drizzle/migrations');
const to = join(root, 'dist/apps/api/libs/persistence/src/drizzle/migrations');
cpSync(from, to, { recursive: true });
console.log(`migrations copied to ${to}`);
