import { InventoryService, ReservationService, StockLedgerService } from '@app/core';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/access-policy';
import { changeContextOf } from '../auth/client-identity';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { RequestValidationError } from '../common/request-validation.error';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { checkBulkItem } from './bulk-item-validation';
import { BULK_MAX_ITEMS, BulkCreateInventoryDto } from './dto/bulk-create-inventory.dto';
import { CreateInventoryDto } from './dto/create-inventory.dto';
import { SKU_DESCRIPTION } from './dto/inventory-fields';
import { BulkCreateResultDto, DeletedInventoryDto, InventoryItemDto, InventoryPageDto } from './dto/inventory-responses.dto';
import { ListInventoryQueryDto } from './dto/list-inventory-query.dto';
import { MovementPageDto, MovementsQueryDto, StockMovementDto } from './dto/movements.dto';
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
    private readonly ledger: StockLedgerService,
  ) {}

  @Post()
  @RequireScope('inventory:write')
  @ApiOperation({
    summary: 'Create a SKU',
    description:
      'availableQuantity defaults to totalQuantity and may not exceed it. maxPerCustomer (optional) caps what one customer may hold. ' +
      'lowStockThreshold (optional; absent: LOW_STOCK_THRESHOLD) is where inventory.low_stock fires. stockBuckets (optional, ' +
      '1-64, default 1) spreads the stock of a flash-sale SKU over that many rows. The ledger gets a `created` movement.',
  })
  @ApiEnvelopeResponse(201, InventoryItemDto, 'Created', 'Inventory created successfully')
  @ApiErrorResponses({
    400: 'Invalid fields, or stockBuckets above 1 on MongoDB (code STOCK_BUCKETS_UNSUPPORTED)',
    409: 'The SKU already exists (code DUPLICATE_SKU)',
  })
  async create(@Body() body: CreateInventoryDto, @Req() request: FastifyRequest): Promise<SuccessEnvelope<InventoryItemDto>> {
    const item = await this.inventory.create(body, changeContextOf(request));
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
  async createMany(@Body() body: BulkCreateInventoryDto, @Req() request: FastifyRequest): Promise<SuccessEnvelope<BulkCreateResultDto>> {
    const checks = body.items.map(checkBulkItem);
    const valid = checks.flatMap((check, index) => (check.ok ? [{ index, input: check.input }] : []));
    const invalid = checks.flatMap((check) => (check.ok ? [] : [check.failure]));
    const result = await this.inventory.createMany(valid, changeContextOf(request));
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
    summary: 'Change name, quantities, per-customer cap, low-stock threshold or stock buckets of a SKU',
    description:
      'Partial update of productName, totalQuantity, availableQuantity, maxPerCustomer, lowStockThreshold and stockBuckets (at ' +
      'least one; a new stockBuckets spreads the stock again in the same transaction, holds stay valid; null ' +
      'removes the cap or the threshold). Applied atomically only if available + reserved + sold <= total still holds at write ' +
      'time; otherwise 409 naming the rule. A lower cap refuses new reserves only; holds already made stay. A change of the ' +
      'counters appends an `adjusted` movement to the ledger carrying `reason`; every change writes inventory.updated.',
  })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, InventoryItemDto, 'Updated', 'Inventory updated successfully')
  @ApiErrorResponses({
    400: 'Invalid fields, or stockBuckets above 1 on MongoDB (code STOCK_BUCKETS_UNSUPPORTED)',
    404: 'Unknown SKU',
    409: 'The change would break a stock rule (code STOCK_RULE_VIOLATION)',
  })
  async update(
    @Param('sku', SkuParamPipe) sku: string,
    @Body() body: UpdateInventoryDto,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<InventoryItemDto>> {
    const { reason, ...changes } = body;
    if (Object.values(changes).every((value) => value === undefined)) {
      throw new RequestValidationError([
        {
          field: 'body',
          messages: [
            'provide at least one of productName, totalQuantity, availableQuantity, maxPerCustomer, lowStockThreshold, stockBuckets',
          ],
        },
      ]);
    }
    const item = await this.inventory.update(sku, changes, changeContextOf(request, reason ?? null));
    return ok(InventoryItemDto.from(item), 'Inventory updated successfully');
  }

  @Delete(':sku')
  @RequireScope('inventory:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Delete a SKU',
    description:
      'Refused with 409 while any unit is held by an active reservation. The ledger gets a `deleted` movement taking every ' +
      "counter to 0; the SKU's movements outlive it.",
  })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, DeletedInventoryDto, 'Deleted', 'Inventory deleted successfully')
  @ApiErrorResponses({ 404: 'Unknown SKU', 409: 'Units are still reserved (code SKU_HAS_ACTIVE_RESERVATIONS)' })
  async remove(@Param('sku', SkuParamPipe) sku: string, @Req() request: FastifyRequest): Promise<SuccessEnvelope<DeletedInventoryDto>> {
    await this.inventory.remove(sku, changeContextOf(request));
    return ok({ sku }, 'Inventory deleted successfully');
  }

  @Get(':sku/reconcile')
  @RequireScope('inventory:read')
  @ApiOperation({
    summary: "Check a SKU's counters against its holds and its ledger",
    description:
      'reservedQuantity must equal the sum of RESERVED holds, soldQuantity the sum of CONFIRMED holds, and every counter the ' +
      "sum of the deltas of the SKU's ledger movements (fromLedger); read in one snapshot. consistent only when all agree.",
  })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, StockReconciliationDto, 'Counters, sums over holds and ledger, and whether they agree')
  @ApiErrorResponses({ 400: 'Malformed SKU', 404: 'Unknown SKU', 500: 'Unexpected error' })
  async reconcile(@Param('sku', SkuParamPipe) sku: string): Promise<SuccessEnvelope<StockReconciliationDto>> {
    return ok(StockReconciliationDto.from(await this.reservations.reconcile(sku)));
  }

  @Get(':sku/movements')
  @RequireScope('inventory:read')
  @ApiOperation({
    summary: "A SKU's stock ledger, newest first",
    description:
      'Every change of the counters, each appended in the same transaction as the change: opening (the migration), created, ' +
      'adjusted (PUT, with its reason), reserved, released, cancelled, expired, confirmed, deleted. Page with the opaque ' +
      'nextCursor. A deleted SKU keeps its history.',
  })
  @ApiParam({ name: 'sku', description: SKU_DESCRIPTION })
  @ApiEnvelopeResponse(200, MovementPageDto, 'One page of movements and the cursor of the next (older) one')
  @ApiErrorResponses({ 400: 'Malformed SKU, limit or cursor (code INVALID_CURSOR)', 404: 'Unknown SKU without any movement' })
  async movements(@Param('sku', SkuParamPipe) sku: string, @Query() query: MovementsQueryDto): Promise<SuccessEnvelope<MovementPageDto>> {
    const page = await this.ledger.movements(sku, query.limit, query.cursor ?? null);
    return ok({ items: page.items.map(StockMovementDto.from), nextCursor: page.nextCursor });
  }
}
