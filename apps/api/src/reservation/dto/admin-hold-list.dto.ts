import { HOLD_LIST_MAX_LIMIT, RESERVATION_STATUSES, Reservation, USER_ID_MAX_LENGTH } from '@app/core';
import type { ReservationStatus } from '@app/core';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CursorField, PageLimitField } from '../../common/cursor-query';
import { WELL_FORMED_TEXT } from '../../common/well-formed-text';
import { SkuField } from '../../inventory/dto/inventory-fields';
import { ReservationViewDto } from './reservation-view.dto';

/** A day: the longest a hold can live (RESERVATION_MAX_TTL_SECONDS is at most 86400). */
const EXPIRING_WITHIN_MAX_SECONDS = 86_400;

const isGiven = (_object: object, value: unknown) => value !== undefined;

export class AdminHoldListQueryDto {
  @ApiPropertyOptional({
    enum: RESERVATION_STATUSES,
    description: 'Only holds shown with this status now (a RESERVED hold past its time is shown, and listed, as EXPIRED)',
  })
  @ValidateIf(isGiven)
  @IsIn(RESERVATION_STATUSES)
  status?: ReservationStatus;

  @SkuField({ required: false, description: 'Only holds with a line of this SKU' })
  @ValidateIf(isGiven)
  sku?: string;

  @ApiPropertyOptional({ description: "Only this customer's holds", example: 'customer-101', maxLength: USER_ID_MAX_LENGTH })
  @ValidateIf(isGiven)
  @IsString()
  @MaxLength(USER_ID_MAX_LENGTH)
  @Matches(/\S/, { message: 'userId must not be blank' })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'userId must not contain control characters' })
  @Matches(WELL_FORMED_TEXT, { message: 'userId must be well-formed Unicode text' })
  userId?: string;

  @ApiPropertyOptional({
    description: `Only RESERVED holds that expire within this many seconds from now (1 to ${EXPIRING_WITHIN_MAX_SECONDS})`,
    minimum: 1,
    maximum: EXPIRING_WITHIN_MAX_SECONDS,
    type: 'integer',
    example: 60,
  })
  @ValidateIf(isGiven)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(EXPIRING_WITHIN_MAX_SECONDS)
  expiringWithinSeconds?: number;

  @CursorField('cursor', 'nextCursor of the previous page; absent: the newest holds')
  cursor?: string;

  @PageLimitField(50, HOLD_LIST_MAX_LIMIT)
  limit: number = 50;
}

export class AdminHoldViewDto extends OmitType(ReservationViewDto, ['secondsLeft'] as const) {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 287,
    description: 'Whole seconds until expiry (rounded up) while shown as RESERVED; null otherwise',
  })
  secondsLeft: number | null;

  static from(reservation: Reservation, now: Date): AdminHoldViewDto {
    const view = ReservationViewDto.from(reservation, now);
    return { ...view, secondsLeft: view.status === 'RESERVED' ? view.secondsLeft : null };
  }
}

export class AdminHoldPageDto {
  @ApiProperty({ type: [AdminHoldViewDto], description: 'Newest first (createdAt, then id, descending)' }) items: AdminHoldViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next (older) page; null on the last page' })
  nextCursor: string | null;
}
