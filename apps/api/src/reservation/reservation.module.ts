import { ReservationService } from '@app/core';
import { Module } from '@nestjs/common';
import { AdminReconcileController } from './admin-reconcile.controller';
import { ReservationExpiryJob } from './reservation-expiry.job';
import { ReservationController } from './reservation.controller';

@Module({
  controllers: [ReservationController, AdminReconcileController],
  providers: [ReservationService, ReservationExpiryJob],
})
export class ReservationModule {}
