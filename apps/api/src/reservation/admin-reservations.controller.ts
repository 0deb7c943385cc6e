import { HOLD_LIST_MAX_LIMIT, HoldListService } from '@app/core';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/access-policy';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { AdminHoldListQueryDto, AdminHoldPageDto, AdminHoldViewDto } from './dto/admin-hold-list.dto';

@ApiTags('admin reservations')
@Controller('admin/reservations')
export class AdminReservationsController {
  constructor(private readonly holds: HoldListService) {}

  @Get()
  @RequireScope('inventory:read')
  @ApiOperation({
    summary: 'Holds, newest first, with their lines and seconds left',
    description:
      'Filters combine (AND): status (as shown now), sku (holds with a line of it), userId, expiringWithinSeconds (RESERVED ' +
      `holds expiring within that many seconds). limit 1 to ${HOLD_LIST_MAX_LIMIT} (default 50); page with the opaque nextCursor.`,
  })
  @ApiEnvelopeResponse(200, AdminHoldPageDto, 'One page of holds and the cursor of the next (older) one')
  @ApiErrorResponses({
    400:
      'Bad status, sku, userId, expiringWithinSeconds or limit (VALIDATION_FAILED), ' +
      'or a cursor this service did not issue (INVALID_CURSOR)',
    500: 'Unexpected error',
  })
  async list(@Query() query: AdminHoldListQueryDto): Promise<SuccessEnvelope<AdminHoldPageDto>> {
    const { status, sku, userId, expiringWithinSeconds } = query;
    const page = await this.holds.list({ status, sku, userId, expiringWithinSeconds }, query.limit, query.cursor ?? null);
    return ok({ items: page.items.map((hold) => AdminHoldViewDto.from(hold, page.now)), nextCursor: page.nextCursor });
  }
}
