import { ReservationService } from '@app/core';
import { Module } from '@nestjs/common';
import { AdminReconcileController } from './admin-reconcile.controller';
import { ExpirySweepJob } from './expiry-sweep.job';
import { ReservationController } from './reservation.controller';
import { RetentionPurgeJob } from './retention-purge.job';

@Module({
  controllers: [ReservationController, AdminReconcileController],
  providers: [ReservationService, ExpirySweepJob, RetentionPurgeJob],
})
export class ReservationModule {}
