import { Clock, DEFAULT_MAX_TTL_SECONDS, HoldAdjustmentService } from '@app/core';
import { Body, Controller, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CustomerRoute } from '../auth/access-policy';
import { changeContextOf } from '../auth/client-identity';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ExtendDto } from './dto/extend.dto';
import { ReleaseDto } from './dto/release.dto';
import { ReservationViewDto } from './dto/reservation-view.dto';
import { HoldBoundsPipe } from './hold-bounds.pipe';
import { ReservationIdParamPipe } from './reservation-id-param.pipe';

const OPTIONAL_KEY_DOCS =
  'An Idempotency-Key header is optional here: a retry with the same key (same hold, same body) replays the first response ' +
  'with `Idempotent-Replayed: true` instead of acting twice.';

/** Changes a RESERVED hold without ending it: more time, fewer units. */
@ApiTags('reservations')
@Controller('reservations/:reservationId')
export class HoldAdjustmentController {
  constructor(
    private readonly adjustments: HoldAdjustmentService,
    private readonly clock: Clock,
  ) {}

  @Post('extend')
  @CustomerRoute('write')
  @HttpCode(HttpStatus.OK)
  @Idempotent({ scope: 'extend', required: false })
  @ApiOperation({
    summary: 'Give a hold more time',
    description:
      "Moves the hold's expiry `seconds` later than it is now. The hold's whole life, from its creation to its new expiry, may " +
      `not pass RESERVATION_MAX_TTL_SECONDS (default ${DEFAULT_MAX_TTL_SECONDS}). ${OPTIONAL_KEY_DOCS}`,
  })
  @ApiParam({ name: 'reservationId', format: 'uuid' })
  @ApiEnvelopeResponse(200, ReservationViewDto, 'RESERVED, with the new expiresAt', 'Reservation extended successfully')
  @ApiErrorResponses({
    400: 'reservationId is not a UUID, or seconds is not an integer from 1 to RESERVATION_MAX_TTL_SECONDS',
    404: 'Unknown reservation',
    409:
      'The hold would live past RESERVATION_MAX_TTL_SECONDS from its creation (code HOLD_LIFETIME_EXCEEDED, details: ' +
      'maxLifetimeSeconds, createdAt, latestExpiry, requestedExpiry); or it was confirmed or cancelled (code ' +
      'RESERVATION_STATE_CONFLICT, details.status)',
    410: "The hold's time has passed; it is now EXPIRED and its stock released (code RESERVATION_EXPIRED)",
    500: 'Unexpected error',
  })
  async extend(
    @Param('reservationId', ReservationIdParamPipe) id: string,
    @Body(HoldBoundsPipe) body: ExtendDto,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<ReservationViewDto>> {
    const reservation = await this.adjustments.extend(id, body.seconds, changeContextOf(request));
    return ok(ReservationViewDto.from(reservation, this.clock.now()), 'Reservation extended successfully');
  }

  @Post('release')
  @CustomerRoute('write')
  @HttpCode(HttpStatus.OK)
  @Idempotent({ scope: 'release', required: false })
  @ApiOperation({
    summary: 'Give back some units of a hold',
    description:
      "Returns the given units to available and shrinks the hold's lines in one atomic step; a line at zero leaves the hold. " +
      'Releasing every unit left cancels the hold (status CANCELLED, its lines as they were before). Nothing moves unless ' +
      `every line fits. ${OPTIONAL_KEY_DOCS}`,
  })
  @ApiParam({ name: 'reservationId', format: 'uuid' })
  @ApiEnvelopeResponse(200, ReservationViewDto, 'RESERVED with the lines left, or CANCELLED', 'Units released successfully')
  @ApiErrorResponses({
    400: 'reservationId is not a UUID, or invalid lines (named items.N.sku, items.N.quantity; 1 to 100 lines)',
    404: 'Unknown reservation',
    409:
      'A line asks for more than the hold holds of its SKU (code RELEASE_EXCEEDS_HOLD, details: sku, held, requested; held is ' +
      '0 for a SKU the hold does not have); or the hold was confirmed or cancelled (code RESERVATION_STATE_CONFLICT, details.status)',
    410: "The hold's time has passed; it is now EXPIRED and its stock released (code RESERVATION_EXPIRED)",
    500: 'Unexpected error',
  })
  async release(
    @Param('reservationId', ReservationIdParamPipe) id: string,
    @Body(HoldBoundsPipe) body: ReleaseDto,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<ReservationViewDto>> {
    const reservation = await this.adjustments.release(
      id,
      body.items.map(({ sku, quantity }) => ({ sku, quantity })),
      changeContextOf(request),
    );
    const message =
      reservation.status === 'CANCELLED' ? 'Every unit was released; the reservation is cancelled' : 'Units released successfully';
    return ok(ReservationViewDto.from(reservation, this.clock.now()), message);
  }
}
