import { DatabaseConfig } from '@app/persistence';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  customerKeyRequired: boolean;
  /** Whether ADMIN_API_KEY is set (its value stays in ApiKeySettings). */
  environmentKeySet: boolean;
  /** Where a first key may be kept (embedded PGlite only; see AdminKeyBootstrap). */
  database: DatabaseConfig;
}
