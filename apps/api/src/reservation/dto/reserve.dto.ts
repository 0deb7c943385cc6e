import { IDEMPOTENCY_KEY_MAX_LENGTH, MAX_RESERVE_QUANTITY, USER_ID_MAX_LENGTH } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { WELL_FORMED_TEXT } from '../../common/well-formed-text';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE } from '../../idempotency/idempotency-key';
import { SkuField } from '../../inventory/dto/inventory-fields';

export class ReserveDto {
  @SkuField()
  sku: string;

  @ApiProperty({
    description: `The customer's id, 1-${USER_ID_MAX_LENGTH} printable characters`,
    example: 'customer-101',
    maxLength: USER_ID_MAX_LENGTH,
  })
  @IsString()
  @MaxLength(USER_ID_MAX_LENGTH)
  @Matches(/\S/, { message: 'userId must not be blank' })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'userId must not contain control characters' })
  @Matches(WELL_FORMED_TEXT, { message: 'userId must be well-formed Unicode text' })
  userId: string;

  /** The upper bound is configured (RESERVATION_MAX_QUANTITY) and checked by ReserveQuantityPipe; the documented maximum is its default. */
  @ApiProperty({
    description: `Units to hold, an integer from 1 to RESERVATION_MAX_QUANTITY (default ${MAX_RESERVE_QUANTITY})`,
    example: 2,
    minimum: 1,
    maximum: MAX_RESERVE_QUANTITY,
    type: 'integer',
  })
  @IsInt()
  @Min(1)
  quantity: number;

  @ApiPropertyOptional({
    description:
      `Idempotency key (${IDEMPOTENCY_KEY_RULE}); the Idempotency-Key or X-Idempotency-Key header takes precedence. ` +
      'One of them is required.',
    example: 'order-12345',
    maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
  })
  @OptionalNotNull()
  @IsString()
  @MaxLength(IDEMPOTENCY_KEY_MAX_LENGTH)
  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: `idempotencyKey must be ${IDEMPOTENCY_KEY_RULE}` })
  idempotencyKey?: string;
}
