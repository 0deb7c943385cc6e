import { InventoryService, ReservationService } from '@app/core';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/access-policy';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { RequestValidationError } from '../common/request-validation.error';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { checkBulkItem } from './bulk-item-validation';
import { BULK_MAX_ITEMS, BulkCreateInventoryDto } from './dto/bulk-create-inventory.dto';
import { CreateInventoryDto } from './dto/create-inventory.dto';
import { SKU_DESCRIPTION } from './dto/inventory-fields';
import { BulkCreateResultDto, DeletedInventoryDto, InventoryItemDto, InventoryPageDto } from './dto/inventory-responses.dto';
import { ListInventoryQueryDto } from './dto/list-inventory-query.dto';
import { StockReconciliationDto } from './dto/stock-reconciliation.dto';
import { UpdateInventoryDto } from './dto/update-inventory.dto';
import { SkuParamPipe } from './sku-param.pipe';

@ApiTags('admin inventory')
@Controller('admin/inventory')
@ApiErrorResponses({ 400: 'Invalid input: the body names each offending field', 500: 'Unexpected error (logged with the request id)' })
export class AdminInventoryController {
  constructor(
    private readonly inventory: InventoryService,
    private readonly reservations: ReservationService,
  ) {}

  @Post()
  @RequireScope('inventory:write')
  @ApiOperation({
    summary: 'Create a SKU',
    description:
      'availableQuantity defaults to totalQuantity and may not exceed it. maxPerCustomer (optional) caps what one customer may hold.',
  })
  @ApiEnvelopeResponse(201, InventoryItemDto, 'Created', 'Inventory created successfully')
  @ApiErrorResponses({ 409: 'The SKU already exists (code DUPLICATE_SKU)' })
  async create(@Body() body: CreateInventoryDto): Promise<SuccessEnvelope<InventoryItemDto>> {
    const item = await this.inventory.create(body);
    return ok(InventoryItemDto.from(item), 'Inventory created successfully');
  }

  @Post('bulk')
  @RequireScope('inventory:write')
  @ApiOperation({
    summary: `Create up to ${BULK_MAX_ITEMS} SKUs`,
    description:
      'Each item is validated and created on its own: bad or duplicate items are listed in `errors` with their index, ' +
      'the others are created. ' +
      `An empty batch or one over ${BULK_MAX_ITEMS} items is rejected whole with 400.`,
  })
  @ApiEnvelopeResponse(
    201,
    BulkCreateResultDto,
    'Batch processed; see the success and failed counts',
    'Bulk inventory created: 1 succeeded, 1 failed',
  )
  async createMany(@Body() body: BulkCreateInventoryDto): Promise<SuccessEnvelope<BulkCreateResultDto>> {
    const checks = body.items.map(checkBulkItem);
    const valid = checks.flatMap((check, index) => (check.ok ? [{ index, input: check.input }] : []));
    const invalid = checks.flatMap((check) => (check.ok ? [] : [check.failure]));
    const result = await this.inventory.createMany(valid);
    const data = BulkCreateResultDto.from(valid, result.created, [...invalid, ...result.failures]);
    return ok(data, `Bulk inventory created: ${data.success} succeeded, ${data.failed} failed`);
  }

  @Get('all')
  @RequireScope('inventory:read')
  @ApiOperation({ summary: 'List SKUs, a page at a time' })
  @ApiEnvelopeResponse(200, InventoryPageDto, 'One page of items with pagination metadata')
  async list(@Query() query: ListInventoryQueryDto): Promise<SuccessEnvelope<InventoryPageDto>> {
    const { items, total } = await this.inventory.list({
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
      sortBy: query.sortBy,
      sortOrder: query.sortOrder,
    });
    const totalPages = Math.ceil(total / query.limit);
    return ok({
      items: items.map(InventoryItemDto.from),
      pagination: {
        page: query.page,
        limit: query.limit,
        totalItems: total,
        totalPages,
        hasNextPage: query.page < totalPages,
        hasPreviousPage: query.page > 1,
        currentPage: query.page,
        itemsPerPage: query.limit,
      },
    });
  }

  @Put(':sku')
  @RequireScope('inventory:write')
  @ApiOperation({
    summary: 'Change name, quantities or per-customer cap of a SKU',
    description:
      'Partial update of productName, totalQuantity, availableQuantity and maxPerCustomer (at least one; maxPerCustomer null ' +
      'removes the cap). Applied atomically only if available + reserved + sold <= total still holds at write time; otherwise ' +
      '409 naming the rule. A lower cap refuses new reserves only; holds already made stay.',
  })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, InventoryItemDto, 'Updated', 'Inventory updated successfully')
  @ApiErrorResponses({ 404: 'Unknown SKU', 409: 'The change would break a stock rule (code STOCK_RULE_VIOLATION)' })
  async update(@Param('sku', SkuParamPipe) sku: string, @Body() body: UpdateInventoryDto): Promise<SuccessEnvelope<InventoryItemDto>> {
    if (
      body.productName === undefined &&
      body.totalQuantity === undefined &&
      body.availableQuantity === undefined &&
      body.maxPerCustomer === undefined
    ) {
      throw new RequestValidationError([
        { field: 'body', messages: ['provide at least one of productName, totalQuantity, availableQuantity, maxPerCustomer'] },
      ]);
    }
    const item = await this.inventory.update(sku, body);
    return ok(InventoryItemDto.from(item), 'Inventory updated successfully');
  }

  @Delete(':sku')
  @RequireScope('inventory:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Delete a SKU', description: 'Refused with 409 while any unit is held by an active reservation.' })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, DeletedInventoryDto, 'Deleted', 'Inventory deleted successfully')
  @ApiErrorResponses({ 404: 'Unknown SKU', 409: 'Units are still reserved (code SKU_HAS_ACTIVE_RESERVATIONS)' })
  async remove(@Param('sku', SkuParamPipe) sku: string): Promise<SuccessEnvelope<DeletedInventoryDto>> {
    await this.inventory.remove(sku);
    return ok({ sku }, 'Inventory deleted successfully');
  }

  @Get(':sku/reconcile')
  @RequireScope('inventory:read')
  @ApiOperation({
    summary: "Check a SKU's counters against its holds",
    description: 'reservedQuantity must equal the sum of RESERVED holds and soldQuantity the sum of CONFIRMED holds; read in one snapshot.',
  })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, StockReconciliationDto, 'Counters, sums and whether they agree')
  @ApiErrorResponses({ 400: 'Malformed SKU', 404: 'Unknown SKU', 500: 'Unexpected error' })
  async reconcile(@Param('sku', SkuParamPipe) sku: string): Promise<SuccessEnvelope<StockReconciliationDto>> {
    return ok(StockReconciliationDto.from(await this.reservations.reconcile(sku)));
  }
}
