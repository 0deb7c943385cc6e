import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';

/** The key management API; ApiKeyService comes from the global AuthModule. */
@Module({ controllers: [ApiKeysController] })
export class ApiKeysModule {}
