import { WebhookService } from '@app/core';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/access-policy';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import {
  CreatedWebhookDto,
  DeletedWebhookDto,
  DeliveriesQueryDto,
  WebhookAttemptDto,
  WebhookAttemptListDto,
  WebhookEndpointDto,
  WebhookListDto,
} from './dto/webhook-responses.dto';
import { WebhookIdParamPipe } from './webhook-id-param.pipe';

const DELIVERY_DOCS =
  'Each event is POSTed as JSON { id, type, timestamp, data } with the Standard Webhooks headers webhook-id (the event id), ' +
  'webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret>). At least ' +
  'once: 2xx is delivered; anything else, a timeout or a connection error is retried with backoff for about a day; 410 Gone ' +
  'disables the endpoint. Events of one reservation or one SKU arrive in order.';

/** Webhook endpoints. Not idempotent on purpose: an idempotency record would store the new endpoint's secret. */
@ApiTags('admin webhooks')
@Controller('admin/webhooks')
@ApiErrorResponses({ 500: 'Unexpected error (logged with the request id)' })
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post()
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'Subscribe a URL to events', description: `The response carries the signing secret, once. ${DELIVERY_DOCS}` })
  @ApiEnvelopeResponse(201, CreatedWebhookDto, 'Created; `secret` is shown only here', 'Webhook created: store the secret now')
  @ApiErrorResponses({
    400: 'Invalid fields, or a URL the policy refuses (code INVALID_WEBHOOK_URL, details.problem says why)',
  })
  async create(@Body() body: CreateWebhookDto): Promise<SuccessEnvelope<CreatedWebhookDto>> {
    const endpoint = await this.webhooks.create({ url: body.url, events: body.events, description: body.description ?? null });
    return ok(CreatedWebhookDto.from(endpoint), 'Webhook created: store the secret now');
  }

  @Get()
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'List webhook endpoints', description: 'Never a secret; disabledAt is set once a receiver answered 410.' })
  @ApiEnvelopeResponse(200, WebhookListDto, 'The endpoints, newest first')
  async list(): Promise<SuccessEnvelope<WebhookListDto>> {
    return ok({ items: (await this.webhooks.list()).map(WebhookEndpointDto.from) });
  }

  @Delete(':id')
  @HttpCode(HttpStatus.OK)
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'Nothing more is sent to it; its deliveries and attempts go too.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEnvelopeResponse(200, DeletedWebhookDto, 'Deleted', 'Webhook deleted')
  @ApiErrorResponses({ 400: 'Not a UUID', 404: 'Unknown endpoint (code WEBHOOK_NOT_FOUND)' })
  async remove(@Param('id', WebhookIdParamPipe) id: string): Promise<SuccessEnvelope<DeletedWebhookDto>> {
    await this.webhooks.remove(id);
    return ok({ id }, 'Webhook deleted');
  }

  @Get(':id/deliveries')
  @RequireScope('webhooks:write')
  @ApiOperation({
    summary: "An endpoint's recent delivery attempts",
    description: 'One entry per try, most recent first: the event, the try number, the status code or error, and the next retry.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEnvelopeResponse(200, WebhookAttemptListDto, 'Recent attempts')
  @ApiErrorResponses({ 400: 'Not a UUID, or a bad limit', 404: 'Unknown endpoint (code WEBHOOK_NOT_FOUND)' })
  async deliveries(
    @Param('id', WebhookIdParamPipe) id: string,
    @Query() query: DeliveriesQueryDto,
  ): Promise<SuccessEnvelope<WebhookAttemptListDto>> {
    return ok({ items: (await this.webhooks.recentAttempts(id, query.limit)).map(WebhookAttemptDto.from) });
  }
}
