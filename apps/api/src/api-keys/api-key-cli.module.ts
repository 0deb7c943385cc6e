import { ApiKeyService, ApiKeySettings, Clock, SystemClock } from '@app/core';
import { DatabaseConfig, PersistenceModule } from '@app/persistence';
import { DynamicModule, Module } from '@nestjs/common';

/** What `npm run api-key` needs: the configured database and the key service; no HTTP, no jobs. */
@Module({})
export class ApiKeyCliModule {
  static forRoot(database: DatabaseConfig): DynamicModule {
    return {
      module: ApiKeyCliModule,
      imports: [PersistenceModule.forRoot(database)],
      providers: [{ provide: Clock, useClass: SystemClock }, { provide: ApiKeySettings, useValue: new ApiKeySettings() }, ApiKeyService],
    };
  }
}
