import { MAX_HOLD_LINES } from '@app/core';
import { HoldLineDto } from './hold-line.dto';
import { HoldLinesField } from './hold-lines-field';

export class ReleaseDto {
  @HoldLinesField(
    `Units to give back, 1 to ${MAX_HOLD_LINES} lines (lines naming the same SKU are summed). Each must be at most what the ` +
      'hold holds of its SKU; a line that reaches zero leaves the hold, and releasing every unit left cancels it.',
    [{ sku: 'SKU-MOUSE-002', quantity: 1 }],
  )
  items: HoldLineDto[];
}
