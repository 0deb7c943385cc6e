import { isConsistent, StockReconciliation } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';

export class StockReconciliationDto {
  @ApiProperty({ example: 'SKU-LAPTOP-001' }) sku: string;
  @ApiProperty({ example: { totalQuantity: 100, availableQuantity: 90, reservedQuantity: 6, soldQuantity: 4 } })
  counters: { totalQuantity: number; availableQuantity: number; reservedQuantity: number; soldQuantity: number };
  @ApiProperty({ example: { reservedQuantity: 6, soldQuantity: 4 }, description: 'Sums over the holds: RESERVED and CONFIRMED' })
  fromReservations: { reservedQuantity: number; soldQuantity: number };
  @ApiProperty({
    example: { totalQuantity: 100, availableQuantity: 90, reservedQuantity: 6, soldQuantity: 4 },
    description: "Sums of the deltas of the SKU's ledger movements: what the counters must be",
  })
  fromLedger: { totalQuantity: number; availableQuantity: number; reservedQuantity: number; soldQuantity: number };
  @ApiProperty({
    example: true,
    description:
      'The counters equal the ledger sums, reserved and sold equal the sums over the holds, and available + reserved + sold <= total',
  })
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
      fromLedger: {
        totalQuantity: r.ledger.totalQuantity,
        availableQuantity: r.ledger.availableQuantity,
        reservedQuantity: r.ledger.reservedQuantity,
        soldQuantity: r.ledger.soldQuantity,
      },
      consistent: isConsistent(r),
    };
  }
}
