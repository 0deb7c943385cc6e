import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../time/clock';
import { WebhookAttempt, WebhookEndpoint, WebhookEventFilter } from './webhook';
import { WebhookRepository } from './webhook.repository';
import { WebhookSettings } from './webhook-settings';
import { newWebhookSecret } from './webhook-signature';
import { webhookUrlProblem } from './webhook-url-policy';
import { WebhookNotFoundError, WebhookUrlError } from './webhooks.errors';

export interface CreateWebhookCommand {
  url: string;
  events: WebhookEventFilter[];
  description?: string | null;
}

/** Manages webhook endpoints. The secret is returned by create only; lists never carry it. */
@Injectable()
export class WebhookService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
  ) {}

  async create(command: CreateWebhookCommand): Promise<WebhookEndpoint> {
    const problem = webhookUrlProblem(command.url, this.settings.urlPolicy);
    if (problem) throw new WebhookUrlError(command.url, problem);
    return this.webhooks.create({
      id: randomUUID(),
      url: command.url,
      events: [...new Set(command.events)],
      description: command.description ?? null,
      secret: newWebhookSecret(),
      createdAt: this.clock.now(),
    });
  }

  list(): Promise<WebhookEndpoint[]> {
    return this.webhooks.list();
  }

  async remove(id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw new WebhookNotFoundError(id);
  }

  async recentAttempts(id: string, limit: number): Promise<WebhookAttempt[]> {
    if (!(await this.webhooks.findById(id))) throw new WebhookNotFoundError(id);
    return this.webhooks.recentAttempts(id, limit);
  }
}
