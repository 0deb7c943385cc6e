import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseConfig } from './database-config';
import { DrizzlePersistenceModule } from './drizzle/drizzle-persistence.module';

type MongoModuleFile = typeof import('./mongo/mongo-persistence.module');

/** The one place that turns the database config into bound repository ports; global, so feature modules just inject. */
@Module({})
export class PersistenceModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    const driver =
      config.kind === 'mongo'
        ? // Loaded only when configured: mongoose alone adds about 30 MB to every process.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./mongo/mongo-persistence.module') as MongoModuleFile).MongoPersistenceModule.forRoot(config)
        : DrizzlePersistenceModule.forRoot(config);
    return { module: PersistenceModule, global: true, imports: [driver], exports: [driver] };
  }
}
