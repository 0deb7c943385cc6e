import { ReservationService } from '@app/core';
import { Module } from '@nestjs/common';
import { ExpirySweepJob } from './expiry-sweep.job';
import { ReservationController } from './reservation.controller';
import { RetentionPurgeJob } from './retention-purge.job';

@Module({
  controllers: [ReservationController],
  providers: [ReservationService, ExpirySweepJob, RetentionPurgeJob],
  exports: [ReservationService],
})
export class ReservationModule {}
