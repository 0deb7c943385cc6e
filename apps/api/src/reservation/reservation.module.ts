import { HoldAdjustmentService, ReservationService, WebhookHistoryService } from '@app/core';
import { Module } from '@nestjs/common';
import { ExpirySweepJob } from './expiry-sweep.job';
import { HoldAdjustmentController } from './hold-adjustment.controller';
import { ReservationController } from './reservation.controller';
import { RetentionPurgeJob } from './retention-purge.job';

@Module({
  controllers: [ReservationController, HoldAdjustmentController],
  providers: [ReservationService, HoldAdjustmentService, WebhookHistoryService, ExpirySweepJob, RetentionPurgeJob],
  exports: [ReservationService],
})
export class ReservationModule {}
