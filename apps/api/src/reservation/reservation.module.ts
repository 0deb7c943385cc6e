import { ReservationService } from '@app/core';
import { Module } from '@nestjs/common';
import { ReservationExpiryJob } from './reservation-expiry.job';
import { ReservationController } from './reservation.controller';

@Module({
  controllers: [ReservationController],
  providers: [ReservationService, ReservationExpiryJob],
  exports: [ReservationService],
})
export class ReservationModule {}
