import { EVENT_TYPES, WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_URL_MAX_LENGTH } from '@app/core';
import type { WebhookEventFilter } from '@app/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { WELL_FORMED_TEXT } from '../../common/well-formed-text';

export const WEBHOOK_EVENT_FILTERS: readonly WebhookEventFilter[] = [...EVENT_TYPES, '*'];

export class CreateWebhookDto {
  @ApiProperty({
    description:
      'Where to POST the events: https, or http when WEBHOOK_ALLOW_HTTP=true. Never a link-local or cloud metadata address; ' +
      'private and loopback addresses only when WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (checked again, once resolved, on every send)',
    example: 'https://orders.example.com/hooks/inventory',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
  })
  @IsString()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url: string;

  @ApiProperty({
    description: 'Event types to receive, or "*" for every type',
    enum: WEBHOOK_EVENT_FILTERS,
    isArray: true,
    minItems: 1,
    maxItems: WEBHOOK_EVENT_FILTERS.length,
    uniqueItems: true,
    example: ['reservation.confirmed', 'inventory.low_stock'],
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'events must contain at least 1 event type' })
  @ArrayMaxSize(WEBHOOK_EVENT_FILTERS.length, { message: `events must contain at most ${WEBHOOK_EVENT_FILTERS.length} entries` })
  @ArrayUnique({ message: 'events must not repeat an event type' })
  @IsIn(WEBHOOK_EVENT_FILTERS, { each: true, message: `each event must be "*" or one of ${EVENT_TYPES.join(', ')}` })
  events: WebhookEventFilter[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `What it is for, up to ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters`,
    example: 'order system',
    maxLength: WEBHOOK_DESCRIPTION_MAX_LENGTH,
  })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX_LENGTH)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'description must not contain control characters' })
  @Matches(WELL_FORMED_TEXT, { message: 'description must be well-formed Unicode text' })
  description?: string | null;
}
