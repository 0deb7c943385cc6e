import { DEFAULT_MAX_TTL_SECONDS } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

export class ExtendDto {
  /** The upper bound is configured (RESERVATION_MAX_TTL_SECONDS) and checked by HoldBoundsPipe; the documented maximum is its default. */
  @ApiProperty({
    description:
      "Seconds to add to the hold's current expiry, an integer from 1 to RESERVATION_MAX_TTL_SECONDS " +
      `(default ${DEFAULT_MAX_TTL_SECONDS}). The hold's whole life, from its creation, may not pass RESERVATION_MAX_TTL_SECONDS`,
    example: 300,
    minimum: 1,
    maximum: DEFAULT_MAX_TTL_SECONDS,
    type: 'integer',
  })
  @IsInt()
  @Min(1)
  seconds: number;
}
