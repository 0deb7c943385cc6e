import { WebhookDeliveryService, WebhookSender, WebhookService } from '@app/core';
import { Module } from '@nestjs/common';
import { HttpWebhookSender } from './http-webhook-sender';
import { WebhookDeliveryJob } from './webhook-delivery.job';
import { WebhooksController } from './webhooks.controller';

/** Webhook endpoints and the delivery worker; WebhookRepository comes from the global PersistenceModule. */
@Module({
  controllers: [WebhooksController],
  providers: [WebhookService, WebhookDeliveryService, { provide: WebhookSender, useClass: HttpWebhookSender }, WebhookDeliveryJob],
})
export class WebhooksModule {}
