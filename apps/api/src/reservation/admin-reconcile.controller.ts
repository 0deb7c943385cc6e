import { brokenStockRule, ReservationService } from '@app/core';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { SKU_DESCRIPTION } from '../inventory/dto/inventory-fields';
import { SkuParamPipe } from '../inventory/sku-param.pipe';
import { StockReconciliationDto } from './dto/reservation-view.dto';

@ApiTags('admin inventory')
@Controller('admin/inventory')
export class AdminReconcileController {
  constructor(private readonly reservations: ReservationService) {}

  @Get(':sku/reconcile')
  @ApiOperation({
    summary: "Check a SKU's counters against its holds",
    description: 'reservedQuantity must equal the sum of RESERVED holds and soldQuantity the sum of CONFIRMED holds; read in one snapshot.',
  })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, StockReconciliationDto, 'Counters, sums and whether they agree')
  @ApiErrorResponses({ 400: 'Malformed SKU', 404: 'Unknown SKU', 500: 'Unexpected error' })
  async reconcile(@Param('sku', SkuParamPipe) sku: string): Promise<SuccessEnvelope<StockReconciliationDto>> {
    const r = await this.reservations.reconcile(sku);
    const counters = { totalQuantity: r.totalQuantity, availableQuantity: r.availableQuantity, reservedQuantity: r.reservedQuantity, soldQuantity: r.soldQuantity };
    return ok({
      sku,
      counters,
      fromReservations: { reservedQuantity: r.heldByActiveReservations, soldQuantity: r.soldByConfirmedReservations },
      consistent:
        r.reservedQuantity === r.heldByActiveReservations && r.soldQuantity === r.soldByConfirmedReservations && brokenStockRule(counters) === null,
    });
  }
}
