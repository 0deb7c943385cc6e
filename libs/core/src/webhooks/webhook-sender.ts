/** What one HTTP try answered: a status code, or why there was none (timeout, refused, address not allowed). */
export interface WebhookResponse {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Port: POSTs a signed body to a receiver, with a time limit, to an address the URL policy allows once resolved. */
export abstract class WebhookSender {
  abstract send(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse>;
}
