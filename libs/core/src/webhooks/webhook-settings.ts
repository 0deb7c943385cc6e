import { RETRY_DELAYS_SECONDS } from './retry-schedule';
import { WebhookUrlPolicy } from './webhook-url-policy';

/** Webhook rules supplied by the application's configuration. */
export class WebhookSettings {
  constructor(
    readonly urlPolicy: WebhookUrlPolicy,
    /** How long a claimed delivery is leased to its worker: above the send timeout, so a live worker keeps it. */
    readonly leaseSeconds = 30,
    /** Deliveries one worker run claims at most. */
    readonly batchSize = 20,
    /** Seconds before each retry; the production schedule unless a test shortens it. */
    readonly retryDelaysSeconds: readonly number[] = RETRY_DELAYS_SECONDS,
    /** How long outbox events, finished deliveries and attempts are kept (WEBHOOK_HISTORY_RETENTION_SECONDS). */
    readonly historyRetentionSeconds = 7 * 86_400,
  ) {}
}
