import { isConsistent, StockReconciliation } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';

export class StockReconciliationDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ example: { totalQuantity: 100, availableQuantity: 90, reservedQuantity: 6, soldQuantity: 4 } })
  counters: { totalQuantity: number; availableQuantity: number; reservedQuantity: number; soldQuantity: number };
  @ApiProperty({ example: { reservedQuantity: 6, soldQuantity: 4 }, description: 'Sums over the holds: RESERVED and CONFIRMED' })
  fromReservations: { reservedQuantity: number; soldQuantity: number };
  @ApiProperty({ example: true, description: 'reserved and sold counters equal the sums, and available + reserved + sold <= total' })
  consistent: boolean;

  static from(r: StockReconciliation): StockReconciliationDto {
    return {
      sku: r.sku,
      counters: {
        totalQuantity: r.totalQuantity,
        availableQuantity: r.availableQuantity,
        reservedQuantity: r.reservedQuantity,
        soldQuantity: r.soldQuantity,
      },
      fromReservations: { reservedQuantity: r.heldByActiveReservations, soldQuantity: r.soldByConfirmedReservations },
      consistent: isConsistent(r),
    };
  }
}
