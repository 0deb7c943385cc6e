import { DEFAULT_MAX_TTL_SECONDS, MAX_HOLD_LINES } from '@app/core';
import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { HoldLineDto } from './hold-line.dto';
import { HoldLinesField } from './hold-lines-field';
import { ReserveDto } from './reserve.dto';

/** A cart to hold: `userId` and `idempotencyKey` with the rules of `/inventory/reserve`. */
export class HoldDto extends PickType(ReserveDto, ['userId', 'idempotencyKey'] as const) {
  @HoldLinesField(
    `The cart's lines, 1 to ${MAX_HOLD_LINES}; lines naming the same SKU are summed into one before anything is checked ` +
      '(the sum, too, must not pass RESERVATION_MAX_QUANTITY). The hold shows its lines one per SKU, in SKU byte order.',
    [
      { sku: 'SKU-LAPTOP-001', quantity: 1 },
      { sku: 'SKU-MOUSE-002', quantity: 2 },
    ],
  )
  items: HoldLineDto[];

  /** The upper bound is configured (RESERVATION_MAX_TTL_SECONDS) and checked by HoldBoundsPipe; the documented maximum is its default. */
  @ApiPropertyOptional({
    description:
      'Seconds the hold lasts, an integer from 1 to RESERVATION_MAX_TTL_SECONDS ' +
      `(default ${DEFAULT_MAX_TTL_SECONDS}); absent: RESERVATION_TTL_SECONDS`,
    example: 600,
    minimum: 1,
    maximum: DEFAULT_MAX_TTL_SECONDS,
    type: 'integer',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  ttlSeconds?: number;
}
