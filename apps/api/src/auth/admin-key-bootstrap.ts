import { API_KEY_SCOPES, ApiKeyService } from '@app/core';
import { PGLITE_IN_MEMORY } from '@app/persistence';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTH_OPTIONS } from './auth-options';
import type { AuthOptions } from './auth-options';

/** Where the embedded default keeps the key it generated at first start, inside the PGlite data folder. */
export const GENERATED_KEY_FILE = 'admin-api-key';
const CREATE_HINT =
  'create one with `npm run api-key -- create --name admin --scopes inventory:read,inventory:write,reservations:write,keys:write`, ' +
  'or set ADMIN_API_KEY (at least 32 characters)';

/**
 * A fresh deployment is never open. With ADMIN_API_KEY unset and no key in the database: on the embedded default
 * (PGlite) a key with every scope is created, logged once and kept in `<data folder>/admin-api-key` (mode 0600) so
 * the quick start works; on PostgreSQL and MongoDB nothing is created, admin routes answer 401, and the log says how
 * to create a key. The value of ADMIN_API_KEY is never logged.
 */
@Injectable()
export class AdminKeyBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    private readonly keys: ApiKeyService,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.environmentKeySet) {
      this.logger.log('ADMIN_API_KEY is set: it is accepted as a key with every scope');
      return;
    }
    if ((await this.keys.list()).length > 0) return;
    const { database } = this.options;
    if (database.kind !== 'pglite') {
      this.logger.warn(`No API key exists and ADMIN_API_KEY is unset: admin routes answer 401 until you ${CREATE_HINT}`);
      return;
    }
    const { secret } = await this.keys.create({ name: 'generated at first start', scopes: [...API_KEY_SCOPES] });
    if (database.dataDir === PGLITE_IN_MEMORY) {
      this.logger.log(`No API key existed: created one with every scope (shown only now; the database is in memory): ${secret}`);
      return;
    }
    const file = join(database.dataDir, GENERATED_KEY_FILE);
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    this.logger.log(
      `No API key existed: created one with every scope, saved to ${file} (mode 0600) and shown only now: ${secret} ` +
        '(send it as "Authorization: Bearer <key>"; manage keys with /api/v1/admin/api-keys)',
    );
  }
}
