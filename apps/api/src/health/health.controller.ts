import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { PublicRoute } from '../auth/access-policy';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { RateLimitStoreHealth } from '../rate-limit/rate-limit-store.health';
import { DatabaseHealthIndicator } from './database.health';

interface StatusReply {
  status(code: number): unknown;
}

const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    success: { type: 'boolean', example: true },
    status: { type: 'string', enum: ['ok', 'error'], example: 'ok' },
    info: { type: 'object', example: { database: { status: 'up' } } },
    error: { type: 'object', example: {} },
  },
};

/** Outside the /api/v1 prefix, as in the original service and for Kubernetes probes. */
@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealthIndicator,
    private readonly shutdown: ShutdownState,
    private readonly rateLimitStore: RateLimitStoreHealth,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Overall health, as in the original service: the database answers' })
  @ApiResponse({ status: 200, description: 'Healthy', schema: HEALTH_SCHEMA })
  @ApiResponse({ status: 503, description: 'The database does not answer' })
  overall(@Res({ passthrough: true }) reply: StatusReply) {
    return this.run(reply, [() => this.database.check()]);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness probe: the process is up and serving HTTP' })
  @ApiResponse({ status: 200, description: 'Alive', schema: HEALTH_SCHEMA })
  live(@Res({ passthrough: true }) reply: StatusReply) {
    return this.run(reply, [() => this.indicators.check('process').up()]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness probe: not shutting down, and the database answers' })
  @ApiResponse({ status: 200, description: 'Ready for traffic', schema: HEALTH_SCHEMA })
  @ApiResponse({ status: 503, description: 'Shutting down, or the database does not answer' })
  ready(@Res({ passthrough: true }) reply: StatusReply) {
    return this.run(reply, [
      () => {
        const indicator = this.indicators.check('shutdown');
        return this.shutdown.isDraining ? indicator.down() : indicator.up();
      },
      () => this.database.check(),
      () => this.rateLimitStore.check(),
    ]);
  }

  private async run(reply: StatusReply, checks: HealthIndicatorFunction[]) {
    try {
      const result = await this.health.check(checks);
      return { success: true, ...result };
    } catch (error) {
      const result = (error as { getResponse?: () => HealthCheckResult }).getResponse?.();
      if (!result) throw error;
      reply.status(503);
      return { success: false, ...result };
    }
  }
}
