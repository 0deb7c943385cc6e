import { EVENT_TYPES } from '@app/core';
import type { EventType, WebhookAttempt, WebhookEndpoint, WebhookEventFilter } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { PageLimitField } from '../../common/cursor-query';
import { WEBHOOK_EVENT_FILTERS } from './create-webhook.dto';

/** An endpoint as listed: never its secret. */
export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid', example: '9d3c2b1a-8f7e-4d6c-b5a4-3e2f1d0c9b8a' }) id: string;
  @ApiProperty({ example: 'https://orders.example.com/hooks/inventory' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_FILTERS, isArray: true, example: ['reservation.confirmed', 'inventory.low_stock'] })
  events: WebhookEventFilter[];
  @ApiProperty({ type: String, nullable: true, example: 'order system' }) description: string | null;
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'When the receiver answered 410 Gone and the endpoint was disabled (nothing more is sent); null while enabled',
  })
  disabledAt: string | null;

  static from(endpoint: WebhookEndpoint): WebhookEndpointDto {
    return {
      id: endpoint.id,
      url: endpoint.url,
      events: [...endpoint.events],
      description: endpoint.description,
      createdAt: endpoint.createdAt.toISOString(),
      disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    };
  }
}

export class CreatedWebhookDto {
  @ApiProperty({ format: 'uuid', example: '9d3c2b1a-8f7e-4d6c-b5a4-3e2f1d0c9b8a' }) id: string;
  @ApiProperty({ example: 'https://orders.example.com/hooks/inventory' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_FILTERS, isArray: true, example: ['reservation.confirmed', 'inventory.low_stock'] })
  events: WebhookEventFilter[];
  @ApiProperty({ type: String, nullable: true, example: 'order system' }) description: string | null;
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks): shown only in this response. Verify webhook-signature with it.',
  })
  secret: string;

  static from(endpoint: WebhookEndpoint): CreatedWebhookDto {
    const { disabledAt: _disabledAt, ...listed } = WebhookEndpointDto.from(endpoint);
    return { ...listed, secret: endpoint.secret };
  }
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookEndpointDto], description: 'Every endpoint, newest first' }) items: WebhookEndpointDto[];
}

export class DeletedWebhookDto {
  @ApiProperty({ format: 'uuid', example: '9d3c2b1a-8f7e-4d6c-b5a4-3e2f1d0c9b8a' }) id: string;
}

export class DeliveriesQueryDto {
  @PageLimitField(50, 200)
  limit: number = 50;
}

export class WebhookAttemptDto {
  @ApiProperty({ format: 'uuid', example: '0b7e2f9c-4d1a-4c3e-9f8b-2a6d5c4b3a21', description: 'The event (and webhook-id)' })
  eventId: string;
  @ApiProperty({ enum: EVENT_TYPES, example: 'reservation.created' }) eventType: EventType;
  @ApiProperty({ example: 1, description: '1 for the first try of this event' }) attempt: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 500, description: "The receiver's status; null when it gave none" })
  statusCode: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why there was no status: timeout, refused, address not allowed',
  })
  error: string | null;
  @ApiProperty({ example: 42 }) durationMs: number;
  @ApiProperty({ example: '2026-01-06T10:00:01.000Z' }) at: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-01-06T10:00:06.000Z',
    description: 'When the next try is due; null when delivered, given up or the endpoint is gone',
  })
  nextRetryAt: string | null;

  static from(attempt: WebhookAttempt): WebhookAttemptDto {
    return {
      eventId: attempt.eventId,
      eventType: attempt.eventType,
      attempt: attempt.attempt,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
      at: attempt.at.toISOString(),
      nextRetryAt: attempt.nextRetryAt?.toISOString() ?? null,
    };
  }
}

export class WebhookAttemptListDto {
  @ApiProperty({ type: [WebhookAttemptDto], description: 'Most recent first' }) items: WebhookAttemptDto[];
}
