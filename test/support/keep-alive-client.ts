import { Agent, request } from 'node:http';

const REQUEST_TIMEOUT_MS = 20_000;

export type Outcome =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  | { kind: 'connection-error'; code: string };

/** A JSON client over one keep-alive agent, so requests reuse connections as Node's fetch and most HTTP libraries do. */
export class KeepAliveClient {
  readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Never rejects: a dropped or refused connection is an outcome the caller counts. */
  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve) => {
      const call = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
            ...headers,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ kind: 'response', status: response.statusCode ?? 0, headers: response.headers, body: text }));
          response.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'connection-error', code: error.code ?? error.message }));
        },
      );
      call.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'connection-error', code: error.code ?? error.message }));
      call.setTimeout(REQUEST_TIMEOUT_MS, () => call.destroy(Object.assign(new Error('no answer in time'), { code: 'CLIENT_TIMEOUT' })));
      call.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
