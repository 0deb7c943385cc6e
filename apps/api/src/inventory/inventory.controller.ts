import { InventoryService } from '@app/core';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CustomerRoute } from '../auth/access-policy';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { SKU_DESCRIPTION } from './dto/inventory-fields';
import { PublicInventoryDto } from './dto/inventory-responses.dto';
import { SkuParamPipe } from './sku-param.pipe';

@ApiTags('inventory')
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get(':sku')
  @CustomerRoute('read')
  @ApiOperation({ summary: 'Availability of a SKU' })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, PublicInventoryDto, 'The SKU and the units available to reserve')
  @ApiErrorResponses({ 400: 'Malformed SKU', 404: 'Unknown SKU', 500: 'Unexpected error' })
  async get(@Param('sku', SkuParamPipe) sku: string): Promise<SuccessEnvelope<PublicInventoryDto>> {
    return ok(PublicInventoryDto.from(await this.inventory.getBySku(sku)));
  }
}
