import { ApiKeyService, ApiKeySettings } from '@app/core';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { AccessPolicyAudit } from './access-policy.audit';
import { AdminKeyBootstrap } from './admin-key-bootstrap';
import { ApiKeyGuard } from './api-key.guard';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';

/** API keys: the service, the global guard, the startup check of every route's policy, and the first key. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: ApiKeySettings, useValue: new ApiKeySettings(config.auth.adminApiKey) },
        {
          provide: AUTH_OPTIONS,
          useValue: {
            customerKeyRequired: config.auth.customerKeyRequired,
            environmentKeySet: config.auth.adminApiKey !== undefined,
            database: config.database,
          } satisfies AuthOptions,
        },
        ApiKeyService,
        AccessPolicyAudit,
        AdminKeyBootstrap,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [ApiKeyService, AccessPolicyAudit],
    };
  }
}
