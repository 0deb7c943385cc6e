// Copies what the compiled code reads from disk next to it: the SQL migrations and the web UI.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist/apps/api');
const copies = [
  ['libs/persistence/src/drizzle/migrations', 'libs/persistence/src/drizzle/migrations'],
  ['apps/api/public', 'apps/api/public'],
];
for (const [from, to] of copies) {
  cpSync(join(root, from), join(dist, to), { recursive: true });
  console.log(`copied ${from} -> dist/apps/api/${to}`);
}
