import { InventoryService } from '@app/core';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CustomerRoute } from '../auth/access-policy';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { AVAILABILITY_MAX_SKUS, AvailabilityDto, AvailabilityQueryDto } from './dto/availability.dto';
import { SKU_DESCRIPTION } from './dto/inventory-fields';
import { PublicInventoryDto } from './dto/inventory-responses.dto';
import { SkuParamPipe } from './sku-param.pipe';

@ApiTags('inventory')
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  @CustomerRoute('read')
  @ApiOperation({
    summary: 'Availability of several SKUs in one call',
    description:
      `Up to ${AVAILABILITY_MAX_SKUS} distinct SKUs (\`?skus=A,B,C\`), read in one query. The SKUs that exist come back in ` +
      'the order asked, each once; the others are listed in `missing` (not an error).',
  })
  @ApiEnvelopeResponse(200, AvailabilityDto, 'The SKUs found and those missing')
  @ApiErrorResponses({
    400: `skus missing, a malformed SKU, or more than ${AVAILABILITY_MAX_SKUS} distinct SKUs`,
    500: 'Unexpected error',
  })
  async getMany(@Query() query: AvailabilityQueryDto): Promise<SuccessEnvelope<AvailabilityDto>> {
    return ok(AvailabilityDto.from(await this.inventory.availabilityOf(query.skus)));
  }

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
