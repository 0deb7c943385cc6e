import { MAX_HOLD_LINES } from '@app/core';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { HoldLineDto } from './hold-line.dto';

export const HOLD_LINES_RULE_MESSAGE = `items must have 1 to ${MAX_HOLD_LINES} lines`;

/** `items`: 1 to MAX_HOLD_LINES lines, each validated like the fields of `/inventory/reserve` (errors name `items.N.field`). */
export function HoldLinesField(description: string, example: HoldLineDto[]): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, type: [HoldLineDto], minItems: 1, maxItems: MAX_HOLD_LINES, example }),
    IsArray(),
    ArrayMinSize(1, { message: HOLD_LINES_RULE_MESSAGE }),
    ArrayMaxSize(MAX_HOLD_LINES, { message: HOLD_LINES_RULE_MESSAGE }),
    ValidateNested({ each: true }),
    Type(() => HoldLineDto),
  );
}
