import { CheckoutService } from '@app/core';
import { Module } from '@nestjs/common';
import { CheckoutController } from './checkout.controller';

@Module({ controllers: [CheckoutController], providers: [CheckoutService] })
export class CheckoutModule {}
