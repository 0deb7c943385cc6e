import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; timestamp: string; data: Record<string, unknown> };
  /** The status this receiver answered. */
  status: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 (node:http) that records every webhook it gets. It answers 200 unless told otherwise:
 * `answer` decides each status from what arrived (and what arrived before). It can go down and come back on its port.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (event: ReceivedWebhook['event'], received: readonly ReceivedWebhook[]) => number = () => 200;
  private server: Server | null = null;
  private port = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/inventory`;
  }

  /** Starts listening (again, on the same port once it had one). */
  async up(): Promise<void> {
    const server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const event = JSON.parse(body) as ReceivedWebhook['event'];
        const status = this.answer(event, this.received);
        this.received.push({ headers: request.headers, body, event, status });
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening: connections are refused until up() again. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** What arrived for events of one reservation, in arrival order. */
  ofReservation(reservationId: string): ReceivedWebhook[] {
    return this.received.filter(
      (r) => (r.event.data.reservation as { reservationId?: string } | undefined)?.reservationId === reservationId,
    );
  }

  /** How many times each event id arrived. */
  arrivals(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.received) counts.set(r.event.id, (counts.get(r.event.id) ?? 0) + 1);
    return counts;
  }
}
