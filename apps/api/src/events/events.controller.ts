import { EventFeedService } from '@app/core';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/access-policy';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { DomainEventDto, EventPageDto, EventsQueryDto } from './dto/events.dto';

/** The outbox as a feed, for consumers that pull instead of taking webhooks. */
@ApiTags('admin events')
@Controller('admin/events')
@ApiErrorResponses({ 500: 'Unexpected error (logged with the request id)' })
export class EventsController {
  constructor(private readonly feed: EventFeedService) {}

  @Get()
  @RequireScope('inventory:read')
  @ApiOperation({
    summary: 'Read the event feed in order',
    description:
      "Every event the service wrote, oldest first, from the cursor `after` (like Stripe's events list). Keep nextCursor and " +
      'read on with it: no event is ever skipped or repeated. An event shows up once no transaction that could still write an ' +
      'earlier one is open (on MongoDB, a few seconds after it was written; see the README).',
  })
  @ApiEnvelopeResponse(200, EventPageDto, 'Up to `limit` events and the cursor to read on from')
  @ApiErrorResponses({ 400: 'Malformed limit, or a cursor this service did not issue (code INVALID_CURSOR)' })
  async read(@Query() query: EventsQueryDto): Promise<SuccessEnvelope<EventPageDto>> {
    const page = await this.feed.readAfter(query.after ?? null, query.limit);
    return ok({ items: page.events.map(DomainEventDto.from), nextCursor: page.nextCursor });
  }
}
