import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseConfig, DatabaseConfigError } from './database-config';
import { DrizzlePersistenceModule } from './drizzle/drizzle-persistence.module';

/** The one place that turns the database config into bound repository ports; global, so feature modules just inject. */
@Module({})
export class PersistenceModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    if (config.kind === 'mongo') {
      throw new DatabaseConfigError(
        'DATABASE_URL names MongoDB, but the MongoDB adapter is not implemented yet: ' +
          'use postgres://... or leave DATABASE_URL unset for embedded PGlite',
      );
    }
    const driver = DrizzlePersistenceModule.forRoot(config);
    return { module: PersistenceModule, global: true, imports: [driver], exports: [driver] };
  }
}
