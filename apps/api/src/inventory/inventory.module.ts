import { InventoryService } from '@app/core';
import { Module } from '@nestjs/common';
import { AdminInventoryController } from './admin-inventory.controller';
import { InventoryController } from './inventory.controller';

/** Admin stock management and public availability; InventoryRepository comes from the global PersistenceModule. */
@Module({
  controllers: [InventoryController, AdminInventoryController],
  providers: [InventoryService],
  exports: [InventoryService],
})
export class InventoryModule {}
