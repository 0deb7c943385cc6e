import { PGLITE_IN_MEMORY } from '@app/persistence';
import { AddressInfo, connect, Socket } from 'node:net';
import { createTestApp, TEST_ADMIN_API_KEY, TestApp } from '../support/create-test-app';
import { ShutdownState } from '../../apps/api/src/lifecycle/shutdown-state';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One keep-alive connection that sends requests and reads responses one at a time. */
class RawConnection {
  private buffer = '';
  private waiting: (() => void) | undefined;
  closed = false;
  readonly whenClosed: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.waiting?.();
    });
    socket.on('error', () => undefined);
    this.whenClosed = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.waiting?.();
        resolve();
      }),
    );
  }

  write(text: string): void {
    this.socket.write(text);
  }

  async nextResponse(): Promise<RawResponse> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const [statusLine, ...lines] = this.buffer.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(
          lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
        );
        const length = Number(headers['content-length'] ?? 0);
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.slice(end + 4, end + 4 + length);
          this.buffer = this.buffer.slice(end + 4 + length);
          return { status: Number(statusLine.split(' ')[1]), headers, body };
        }
      }
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }
}

const GET_LIVE = 'GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n';
const createRequest = (sku: string) => {
  const body = JSON.stringify({ sku, productName: 'Drained', totalQuantity: 1 });
  return {
    head:
      `POST /api/v1/admin/inventory HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${TEST_ADMIN_API_KEY}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    body,
  };
};

/** Keep-alive connections while the service drains (after SIGTERM) and while its server closes. */
describe('Connection drain', () => {
  let testApp: TestApp;
  let port: number;
  const connections: RawConnection[] = [];

  const open = async (): Promise<RawConnection> => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const connection = new RawConnection(socket);
    connections.push(connection);
    return connection;
  };

  beforeEach(async () => {
    testApp = await createTestApp({ kind: 'pglite', dataDir: PGLITE_IN_MEMORY });
    await testApp.app.listen(0, '127.0.0.1');
    port = (testApp.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(async () => {
    connections.splice(0).forEach((connection) => connection.socket.destroy());
    await testApp.app.close().catch(() => undefined);
  });

  it('should close idle keep-alive connections as soon as draining begins', async () => {
    const idle = await open();
    idle.write(GET_LIVE);
    expect((await idle.nextResponse()).headers.connection).toBe('keep-alive');

    testApp.app.get(ShutdownState).beginDraining();
    await Promise.race([idle.whenClosed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    expect(idle.closed).toBe(true);
  });

  it('should answer every request with Connection: close while draining, then close that connection', async () => {
    const busy = await open();
    const { head, body } = createRequest('DRAIN-1');
    busy.write(head + body.slice(0, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));

    testApp.app.get(ShutdownState).beginDraining();
    busy.write(body.slice(5));
    const response = await busy.nextResponse();
    expect(response.status).toBe(201);
    expect(response.headers.connection).toBe('close');
    await busy.whenClosed;

    const fresh = await open();
    fresh.write(GET_LIVE);
    expect((await fresh.nextResponse()).headers.connection).toBe('close');
  });

  it('should serve a request that arrives on an open connection while the server closes, never a bare 503', async () => {
    const busy = await open();
    const first = createRequest('CLOSING-1');
    busy.write(first.head + first.body.slice(0, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Closing without a drain first (as on a fast restart): the busy connection is not idle, so it stays open.
    const closing = testApp.app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    busy.write(first.body.slice(5));
    const firstResponse = await busy.nextResponse();
    expect(firstResponse.status).toBe(201);
    // In flight before the close began, so still keep-alive: the client may send one more request on it.
    expect(firstResponse.headers.connection).toBe('keep-alive');

    const second = createRequest('CLOSING-2');
    busy.write(second.head + second.body);
    const response = await busy.nextResponse();
    expect(response.status).toBe(201);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(response.body)).toMatchObject({ success: true, data: { sku: 'CLOSING-2' } });
    await closing;
  });
});
