// npm run api-key -- create --name <name> --scopes <scope,...> | list | revoke <id>
// Manages API keys directly in the configured database (DATABASE_URL, or PGlite in PGLITE_DATA_DIR; .env is read),
// for a first key in production. Runs from a checkout with ts-node (no build needed).
import 'reflect-metadata';
import { API_KEY_SCOPES, ApiKeyService, DomainError, isApiKeyScope } from '@app/core';
import {
  DataDirInUseError,
  DatabaseConfigError,
  describeDatabase,
  isDatabaseUnavailableError,
  MongoStandaloneError,
} from '@app/persistence';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiKeyCliModule } from '../apps/api/src/api-keys/api-key-cli.module';
import { ConfigValidationError, loadAppConfig } from '../apps/api/src/config/app-config';

const USAGE = `Usage:
  npm run api-key -- create --name <name> --scopes <scope>[,<scope>...]   prints the new key on stdout (once)
  npm run api-key -- list
  npm run api-key -- revoke <id>
Scopes: ${API_KEY_SCOPES.join(', ')}
Uses the configured database: DATABASE_URL, or PGlite in PGLITE_DATA_DIR (default ./data); .env is read.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) throw new UsageError('');
  if (!['create', 'list', 'revoke'].includes(command)) throw new UsageError(`Unknown command '${command}'.`);
  if (command === 'revoke' && rest.length !== 1) throw new UsageError('revoke takes the id of one key.');
  const scopes =
    values.scopes
      ?.split(',')
      .map((scope) => scope.trim())
      .filter(Boolean) ?? [];
  if (command === 'create') {
    if (!values.name) throw new UsageError('create needs --name.');
    const unknown = scopes.filter((scope) => !isApiKeyScope(scope));
    if (scopes.length === 0 || unknown.length > 0)
      throw new UsageError(`create needs --scopes from the list below${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}.`);
  }

  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env);
  const context = await NestFactory.createApplicationContext(ApiKeyCliModule.forRoot(config.database), {
    logger: false,
    abortOnError: false,
  });
  try {
    const keys = context.get(ApiKeyService);
    const where = describeDatabase(config.database);
    if (command === 'create') {
      const { apiKey, secret } = await keys.create({ name: values.name!, scopes: scopes.filter(isApiKeyScope) });
      console.error(`Created API key ${apiKey.id} '${apiKey.name}' (${apiKey.prefix}...) with ${apiKey.scopes.join(', ')} in ${where}.`);
      console.error('The key follows; it is shown only now (the database keeps its hash). Send it as "Authorization: Bearer <key>".');
      console.log(secret);
    } else if (command === 'list') {
      const listed = await keys.list();
      if (listed.length === 0) console.error(`No API keys in ${where}.`);
      for (const key of listed) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
        console.log([key.id, key.prefix, key.createdAt.toISOString(), state, key.scopes.join(','), key.name].join('\t'));
      }
    } else {
      const revoked = await keys.revoke(rest[0]);
      console.error(`Revoked API key ${revoked.id} (${revoked.prefix}...) at ${revoked.revokedAt!.toISOString()}.`);
    }
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    if (error.message) console.error(error.message);
    console.error(USAGE);
    process.exit(2);
  }
  if (error instanceof DataDirInUseError) {
    console.error(
      `api-key failed: ${error.message} While the service runs on this folder, create keys through it instead ` +
        '(POST /api/v1/admin/api-keys, with its key in data/admin-api-key or ADMIN_API_KEY).',
    );
    process.exit(1);
  }
  const known =
    error instanceof DomainError ||
    error instanceof ConfigValidationError ||
    error instanceof DatabaseConfigError ||
    error instanceof MongoStandaloneError ||
    isDatabaseUnavailableError(error);
  console.error(`api-key failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!known && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});
