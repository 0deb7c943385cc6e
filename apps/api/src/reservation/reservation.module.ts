import { HoldAdjustmentService, HoldListService, ReservationService, WebhookHistoryService } from '@app/core';
import { Module } from '@nestjs/common';
import { AdminReservationsController } from './admin-reservations.controller';
import { ExpirySweepJob } from './expiry-sweep.job';
import { HoldAdjustmentController } from './hold-adjustment.controller';
import { ReservationController } from './reservation.controller';
import { RetentionPurgeJob } from './retention-purge.job';

@Module({
  controllers: [ReservationController, HoldAdjustmentController, AdminReservationsController],
  providers: [ReservationService, HoldAdjustmentService, HoldListService, WebhookHistoryService, ExpirySweepJob, RetentionPurgeJob],
  exports: [ReservationService],
})
export class ReservationModule {}
