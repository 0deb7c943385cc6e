import { DatabaseHealth } from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

const PING_TIMEOUT_MS = 2_000;

/** Probe bodies are public: they say only up or down; which database and why go to the log. */
@Injectable()
export class DatabaseHealthIndicator {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealth,
  ) {}

  async check(key = 'database'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.database.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
        }),
      ]);
      return indicator.up();
    } catch (error) {
      this.logger.warn(`Health check: ${this.database.description} is down: ${error instanceof Error ? error.message : String(error)}`);
      return indicator.down();
    } finally {
      clearTimeout(timer);
    }
  }
}
