import { CheckoutService, Reservation } from '@app/core';
import type { RecordDraft } from '@app/core';
import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CustomerRoute } from '../auth/access-policy';
import { changeContextOf } from '../auth/client-identity';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { Idempotent, RecordDraftOf } from '../idempotency/idempotent.decorator';
import { ReservationIdDto } from '../reservation/dto/reservation-id';
import { ReservationViewDto } from '../reservation/dto/reservation-view.dto';

/**
 * The answers of both routes depend only on the ended hold (a finished hold shows no time left), so a request's
 * idempotency record keeps the hold and each replay is rendered from it exactly as the first answer was.
 */
function confirmed(hold: Reservation): SuccessEnvelope<ReservationViewDto> {
  return ok(ReservationViewDto.from(hold, hold.finishedAt ?? hold.createdAt), 'Checkout confirmed successfully');
}

function cancelled(hold: Reservation): SuccessEnvelope<ReservationViewDto> {
  const message = hold.status === 'EXPIRED' ? 'Reservation had already expired; its stock was released' : 'Checkout cancelled successfully';
  return ok(ReservationViewDto.from(hold, hold.finishedAt ?? hold.createdAt), message);
}

@ApiTags('checkout')
@Controller('checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post('confirm')
  @CustomerRoute('write')
  @HttpCode(HttpStatus.OK)
  @Idempotent({ scope: 'confirm', required: false, recordsItself: true, renderRecorded: confirmed })
  @ApiOperation({
    summary: 'Confirm a hold: its units are sold',
    description:
      'Every line of the hold moves from reserved to sold in one atomic step. Confirming again answers 200 with the same ' +
      'result and moves nothing. An Idempotency-Key header is optional here.',
  })
  @ApiEnvelopeResponse(200, ReservationViewDto, 'CONFIRMED', 'Checkout confirmed successfully')
  @ApiErrorResponses({
    400: 'reservationId is not a UUID',
    404: 'Unknown reservation',
    409: 'The hold was cancelled (code RESERVATION_STATE_CONFLICT)',
    410: "The hold's time has passed; it is now EXPIRED and its stock released (code RESERVATION_EXPIRED)",
    500: 'Unexpected error',
  })
  async confirm(
    @Body() body: ReservationIdDto,
    @RecordDraftOf() draft: RecordDraft | undefined,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<ReservationViewDto>> {
    return confirmed(
      await this.checkout.confirm(body.reservationId, changeContextOf(request), draft && { ...draft, statusCode: HttpStatus.OK }),
    );
  }

  @Post('cancel')
  @CustomerRoute('write')
  @HttpCode(HttpStatus.OK)
  @Idempotent({ scope: 'cancel', required: false, recordsItself: true, renderRecorded: cancelled })
  @ApiOperation({
    summary: 'Cancel a hold: its units go back to available',
    description:
      'Every line of the hold goes back to available in one atomic step. Cancelling again answers 200 and moves nothing. ' +
      'A hold whose time has passed answers 200 with status EXPIRED, its stock returned exactly once.',
  })
  @ApiEnvelopeResponse(200, ReservationViewDto, 'CANCELLED (or EXPIRED)', 'Checkout cancelled successfully')
  @ApiErrorResponses({
    400: 'reservationId is not a UUID',
    404: 'Unknown reservation',
    409: 'The hold was confirmed (code RESERVATION_STATE_CONFLICT)',
    500: 'Unexpected error',
  })
  async cancel(
    @Body() body: ReservationIdDto,
    @RecordDraftOf() draft: RecordDraft | undefined,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<ReservationViewDto>> {
    return cancelled(
      await this.checkout.cancel(body.reservationId, changeContextOf(request), draft && { ...draft, statusCode: HttpStatus.OK }),
    );
  }
}
