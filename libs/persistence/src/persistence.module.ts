import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseConfig } from './database-config';
import { DrizzlePersistenceModule } from './drizzle/drizzle-persistence.module';
import { MongoPersistenceModule } from './mongo/mongo-persistence.module';

/** The one place that turns the database config into bound repository ports; global, so feature modules just inject. */
@Module({})
export class PersistenceModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    const driver = config.kind === 'mongo' ? MongoPersistenceModule.forRoot(config) : DrizzlePersistenceModule.forRoot(config);
    return { module: PersistenceModule, global: true, imports: [driver], exports: [driver] };
  }
}
