import { DomainError, InvalidInputError } from '../errors/domain-error';

export class WebhookUrlError extends InvalidInputError {
  override readonly code = 'INVALID_WEBHOOK_URL';

  constructor(url: string, problem: string) {
    super(`Webhook url refused: ${problem}`, { url: url.slice(0, 200), problem });
  }
}

export class WebhookNotFoundError extends DomainError {
  readonly code = 'WEBHOOK_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(id: string) {
    super(`Webhook endpoint '${id}' not found`, { webhookId: id });
  }
}
