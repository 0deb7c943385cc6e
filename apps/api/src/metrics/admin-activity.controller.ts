import { Clock } from '@app/core';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/access-policy';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { readActivity } from './activity-snapshot';
import { AppMetrics } from './app-metrics';
import { ActivitySnapshotDto } from './dto/activity-snapshot.dto';

/** The operations console's activity charts: a few series of the metrics registry, on the API's port with an API key. */
@ApiTags('admin activity')
@Controller('admin/activity')
@ApiErrorResponses({ 500: 'Unexpected error (logged with the request id)' })
export class AdminActivityController {
  constructor(
    private readonly metrics: AppMetrics,
    private readonly clock: Clock,
  ) {}

  @Get()
  @RequireScope('inventory:read')
  @ApiOperation({
    summary: "This instance's reservation counters and expiry lag",
    description:
      'Read from the in-process metrics registry (the series GET /metrics serves on METRICS_PORT), whether or not that ' +
      'listener is enabled. Counts are cumulative since this instance started: sample twice and divide the difference ' +
      'by the time between for a rate. Behind a load balancer each call may reach another instance.',
  })
  @ApiEnvelopeResponse(200, ActivitySnapshotDto, 'Counters by outcome and the current expiry lag')
  async activity(): Promise<SuccessEnvelope<ActivitySnapshotDto>> {
    return ok(await readActivity(this.metrics.registry, this.clock.now()));
  }
}
