import { Clock, DEFAULT_MAX_TTL_SECONDS, MAX_HOLD_LINES, MAX_RESERVE_QUANTITY, Reservation, ReservationService } from '@app/core';
import type { RecordDraft } from '@app/core';
import { Body, Controller, Get, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CustomerRoute } from '../auth/access-policy';
import { clientIdOf } from '../auth/client-identity';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { Idempotent, IdempotencyKey, RecordDraftOf, recordWith } from '../idempotency/idempotent.decorator';
import { ReservationViewDto } from './dto/reservation-view.dto';
import { HoldDto } from './dto/hold.dto';
import { ReserveDto } from './dto/reserve.dto';
import { HoldBoundsPipe } from './hold-bounds.pipe';
import { ReservationIdParamPipe } from './reservation-id-param.pipe';
import { ReserveQuantityPipe } from './reserve-quantity.pipe';

const IDEMPOTENCY_DOCS =
  'Idempotency: the first request with a key runs and its response (success or client error) is stored for at least 24 hours. ' +
  'The same key with the same payload replays that response with the header `Idempotent-Replayed: true`, and nothing moves. ' +
  'The same key with another payload answers 422. The key is claimed in the same statement that makes the hold, so a ' +
  "duplicate that reaches the database during the first's statement waits for it and gets the replay; a duplicate of a " +
  "request that took the claim's way (after a refusal) answers 409 IDEMPOTENCY_REQUEST_IN_PROGRESS while it runs: retry " +
  'it shortly to get the replay. Keys are shared by all instances and kept ' +
  "per client (per API key; requests without a key share one space), so one client never sees another's keys.";

/** Both routes create holds, and a hold's key is unique per client whichever route made it: one key, one hold. */
const HOLD_KEYS_DOCS =
  '`/inventory/reserve` and `/reservations` share one key space: a key already used on one of them, sent to the other, ' +
  'answers 422 (another payload) and never makes a second hold.';

const INSUFFICIENT_DOCS =
  'Insufficient stock (message contains "Insufficient", code INSUFFICIENT_STOCK, details.shortages: every short line as ' +
  '{ sku, requested, available }; with one short line also its sku, requested and available at the top of details)';
const PER_CUSTOMER_DOCS =
  "the customer's active holds of a SKU plus this hold's line of it would pass its per-customer cap (code " +
  'PER_CUSTOMER_LIMIT_EXCEEDED, details: sku, userId, maxPerCustomer, heldByCustomer, requested)';

@ApiTags('reservations')
@Controller()
export class ReservationController {
  constructor(
    private readonly reservations: ReservationService,
    private readonly clock: Clock,
  ) {}

  @Post('inventory/reserve')
  @CustomerRoute('write')
  @Idempotent({ scope: 'reserve', required: true, recordsItself: true })
  @ApiOperation({
    summary: 'Hold units of a SKU for the reservation TTL',
    description:
      'Moves the quantity from available to reserved in the same atomic step that records the hold: a hold of one line ' +
      `(see POST /reservations for a cart). ${IDEMPOTENCY_DOCS} ${HOLD_KEYS_DOCS}`,
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
    404: 'Unknown SKU (code INVENTORY_NOT_FOUND, details: sku, missing)',
    409: `${INSUFFICIENT_DOCS}; ${PER_CUSTOMER_DOCS}; or the same key is still in flight`,
    422: 'The idempotency key was used with a different payload (code IDEMPOTENCY_KEY_REUSED)',
    500: 'Unexpected error',
  })
  async reserve(
    @Body(ReserveQuantityPipe) body: ReserveDto,
    @IdempotencyKey() idempotencyKey: string,
    @RecordDraftOf() draft: RecordDraft | undefined,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<ReservationViewDto>> {
    const { sku, userId, quantity } = body;
    const render = (hold: Reservation, now: Date) => ok(ReservationViewDto.from(hold, now), 'Inventory reserved successfully');
    // With a draft, the response is stored with the new hold, rendered as of its creation, and returned as stored.
    const record = recordWith(draft, HttpStatus.CREATED, (hold: Reservation) => render(hold, hold.createdAt));
    const reservation = await this.reservations.reserve({ sku, userId, quantity, idempotencyKey, clientId: clientIdOf(request) }, record);
    return render(reservation, record ? reservation.createdAt : this.clock.now());
  }

  @Post('reservations')
  @CustomerRoute('write')
  @Idempotent({ scope: 'reserve', required: true, recordsItself: true })
  @ApiOperation({
    summary: 'Hold a cart: every line for the TTL, or nothing',
    description:
      `Holds 1 to ${MAX_HOLD_LINES} lines in one atomic step: lines naming the same SKU are summed first, then either every line ` +
      'moves from available to reserved or nothing moves. The hold lasts `ttlSeconds` (default RESERVATION_TTL_SECONDS, at most ' +
      `RESERVATION_MAX_TTL_SECONDS, default ${DEFAULT_MAX_TTL_SECONDS}); extend it, release some of its units, then confirm or ` +
      `cancel it whole. ${IDEMPOTENCY_DOCS} ${HOLD_KEYS_DOCS}`,
  })
  @ApiHeader({ name: 'X-Idempotency-Key', required: false, description: 'Alternative header for the key' })
  @ApiEnvelopeResponse(201, ReservationViewDto, 'Held (or the replay of the first response for this key)', 'Cart reserved successfully')
  @ApiErrorResponses({
    400:
      `Invalid fields (named items.N.sku, items.N.quantity, ...), not 1 to ${MAX_HOLD_LINES} lines, a line (or the sum of lines ` +
      'of one SKU, code INVALID_QUANTITY) outside 1 to RESERVATION_MAX_QUANTITY, ttlSeconds outside 1 to ' +
      'RESERVATION_MAX_TTL_SECONDS, or a missing/invalid idempotency key',
    404: 'Some SKUs do not exist; nothing was held (code INVENTORY_NOT_FOUND, details.missing: every unknown SKU)',
    409: `${INSUFFICIENT_DOCS}; nothing was held. Or ${PER_CUSTOMER_DOCS}; or the same key is still in flight`,
    422: 'The idempotency key was used with a different payload, on this route or on /inventory/reserve (code IDEMPOTENCY_KEY_REUSED)',
    500: 'Unexpected error',
  })
  async hold(
    @Body(HoldBoundsPipe) body: HoldDto,
    @IdempotencyKey() idempotencyKey: string,
    @RecordDraftOf() draft: RecordDraft | undefined,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<ReservationViewDto>> {
    const { userId, items, ttlSeconds } = body;
    const lines = items.map(({ sku, quantity }) => ({ sku, quantity }));
    const render = (hold: Reservation, now: Date) => ok(ReservationViewDto.from(hold, now), 'Cart reserved successfully');
    // With a draft, the response is stored with the new hold, rendered as of its creation, and returned as stored.
    const record = recordWith(draft, HttpStatus.CREATED, (hold: Reservation) => render(hold, hold.createdAt));
    const reservation = await this.reservations.hold(
      { userId, items: lines, ttlSeconds, idempotencyKey, clientId: clientIdOf(request) },
      record,
    );
    return render(reservation, record ? reservation.createdAt : this.clock.now());
  }

  @Get('reservations/:reservationId')
  @CustomerRoute('read')
  @ApiOperation({
    summary: "A hold's current state, its lines and the seconds left",
    description:
      'Poll this for the checkout countdown. `items` lists every line; a hold of one line also shows its `sku` and ' +
      '`quantity` at the top level (the original shape).',
  })
  @ApiParam({ name: 'reservationId', format: 'uuid' })
  @ApiEnvelopeResponse(200, ReservationViewDto, 'The hold')
  @ApiErrorResponses({ 400: 'Not a UUID', 404: 'Unknown reservation', 500: 'Unexpected error' })
  async get(@Param('reservationId', ReservationIdParamPipe) id: string): Promise<SuccessEnvelope<ReservationViewDto>> {
    return ok(ReservationViewDto.from(await this.reservations.get(id), this.clock.now()));
  }
}
