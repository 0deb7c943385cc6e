import { Clock, MAX_RESERVE_QUANTITY, ReservationService } from '@app/core';
import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CustomerRoute } from '../auth/access-policy';
import { clientIdOf } from '../auth/client-identity';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { Idempotent, IdempotencyKey } from '../idempotency/idempotent.decorator';
import { ReservationViewDto } from './dto/reservation-view.dto';
import { ReserveDto } from './dto/reserve.dto';
import { ReservationIdParamPipe } from './reservation-id-param.pipe';
import { ReserveQuantityPipe } from './reserve-quantity.pipe';

const IDEMPOTENCY_DOCS =
  'Idempotency: the first request with a key runs and its response (success or client error) is stored for at least 24 hours. ' +
  'The same key with the same payload replays that response with the header `Idempotent-Replayed: true`, and nothing moves. ' +
  'The same key with another payload answers 422. A duplicate that arrives while the first is still running answers 409 ' +
  '(code IDEMPOTENCY_REQUEST_IN_PROGRESS); retry it shortly to get the replay. Keys are shared by all instances and kept ' +
  "per client (per API key; requests without a key share one space), so one client never sees another's keys.";

@ApiTags('reservations')
@Controller()
export class ReservationController {
  constructor(
    private readonly reservations: ReservationService,
    private readonly clock: Clock,
  ) {}

  @Post('inventory/reserve')
  @CustomerRoute('write')
  @Idempotent({ scope: 'reserve', required: true })
  @ApiOperation({
    summary: 'Hold units of a SKU for the reservation TTL',
    description: `Moves the quantity from available to reserved in the same atomic step that records the hold. ${IDEMPOTENCY_DOCS}`,
  })
  @ApiHeader({ name: 'X-Idempotency-Key', required: false, description: 'Alternative header for the key' })
  @ApiEnvelopeResponse(
    201,
    ReservationViewDto,
    'Held (or the replay of the first response for this key)',
    'Inventory reserved successfully',
  )
  @ApiErrorResponses({
    400:
      `Invalid fields, quantity outside 1 to RESERVATION_MAX_QUANTITY (default ${MAX_RESERVE_QUANTITY}), ` +
      'or a missing/invalid idempotency key',
    404: 'Unknown SKU',
    409:
      'Insufficient stock (message contains "Insufficient", code INSUFFICIENT_STOCK); the customer\'s active holds of the SKU plus ' +
      'this one would pass its per-customer cap (code PER_CUSTOMER_LIMIT_EXCEEDED, details: sku, userId, maxPerCustomer, ' +
      'heldByCustomer, requested); or the same key is still in flight',
    422: 'The idempotency key was used with a different payload (code IDEMPOTENCY_KEY_REUSED)',
    500: 'Unexpected error',
  })
  async reserve(
    @Body(ReserveQuantityPipe) body: ReserveDto,
    @IdempotencyKey() idempotencyKey: string,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<ReservationViewDto>> {
    const { sku, userId, quantity } = body;
    const reservation = await this.reservations.reserve({ sku, userId, quantity, idempotencyKey, clientId: clientIdOf(request) });
    return ok(ReservationViewDto.from(reservation, this.clock.now()), 'Inventory reserved successfully');
  }

  @Get('reservations/:reservationId')
  @CustomerRoute('read')
  @ApiOperation({ summary: "A hold's current state and the seconds left", description: 'Poll this for the checkout countdown.' })
  @ApiParam({ name: 'reservationId', format: 'uuid' })
  @ApiEnvelopeResponse(200, ReservationViewDto, 'The hold')
  @ApiErrorResponses({ 400: 'Not a UUID', 404: 'Unknown reservation', 500: 'Unexpected error' })
  async get(@Param('reservationId', ReservationIdParamPipe) id: string): Promise<SuccessEnvelope<ReservationViewDto>> {
    return ok(ReservationViewDto.from(await this.reservations.get(id), this.clock.now()));
  }
}
