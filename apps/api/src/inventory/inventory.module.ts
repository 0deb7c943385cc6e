import { InventoryService, StockLedgerService } from '@app/core';
import { Module } from '@nestjs/common';
import { ReservationModule } from '../reservation/reservation.module';
import { AdminInventoryController } from './admin-inventory.controller';
import { InventoryController } from './inventory.controller';

/** Admin stock management, the ledger, reconciliation and public availability; repositories come from the global PersistenceModule. */
@Module({
  imports: [ReservationModule],
  controllers: [InventoryController, AdminInventoryController],
  providers: [InventoryService, StockLedgerService],
  exports: [InventoryService],
})
export class InventoryModule {}
