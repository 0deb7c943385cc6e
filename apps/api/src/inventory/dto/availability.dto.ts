import { SKU_MAX_LENGTH, SKU_PATTERN } from '@app/core';
import type { Availability } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, Matches, ValidationArguments } from 'class-validator';
import { SKU_RULE_MESSAGE } from './inventory-fields';
import { PublicInventoryDto } from './inventory-responses.dto';

/** Most distinct SKUs one availability read may name. */
export const AVAILABILITY_MAX_SKUS = 100;

/** `skus=A,B,C` (or the parameter repeated) as the distinct SKUs, in the order first named. */
function splitSkus({ value }: { value: unknown }): unknown {
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (parts === undefined) return value;
  if (parts.some((part) => typeof part !== 'string')) return value;
  return [...new Set((parts as string[]).flatMap((part) => part.split(',')))];
}

function malformedSku(args: ValidationArguments): string {
  const skus: unknown[] = Array.isArray(args.value) ? args.value : [args.value];
  const bad = skus.find((sku) => typeof sku !== 'string' || !SKU_PATTERN.test(sku));
  return `skus has '${String(bad).slice(0, SKU_MAX_LENGTH + 1)}': ${SKU_RULE_MESSAGE}`;
}

export class AvailabilityQueryDto {
  @ApiProperty({
    description:
      `1 to ${AVAILABILITY_MAX_SKUS} distinct SKUs, comma-separated (a SKU named twice counts once). ` +
      `Each: 1-${SKU_MAX_LENGTH} letters, digits, ".", "_" or "-", starting with a letter or digit`,
    example: 'SKU-LAPTOP-001,SKU-MOUSE-002',
    type: String,
  })
  @Transform(splitSkus)
  @IsArray()
  @ArrayMaxSize(AVAILABILITY_MAX_SKUS, { message: `skus must name at most ${AVAILABILITY_MAX_SKUS} distinct SKUs` })
  @Matches(SKU_PATTERN, { each: true, message: malformedSku })
  skus: string[];
}

export class AvailabilityDto {
  @ApiProperty({ type: [PublicInventoryDto], description: 'The SKUs that exist, in the order asked, each once' })
  items: PublicInventoryDto[];
  @ApiProperty({ type: [String], example: ['SKU-GONE-404'], description: 'The SKUs asked for that do not exist, in the order asked' })
  missing: string[];

  static from(availability: Availability): AvailabilityDto {
    return { items: availability.items.map(PublicInventoryDto.from), missing: availability.missing };
  }
}
