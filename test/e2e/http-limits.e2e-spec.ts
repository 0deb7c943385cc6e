import { PGLITE_IN_MEMORY } from '@app/persistence';
import { AddressInfo, connect, Socket } from 'node:net';
import { createTestApp, TestApp } from '../support/create-test-app';

interface RawExchange {
  /** Everything the server sent before closing. */
  reply: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

const REQUEST_TIMEOUT_MS = 1_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_500;
const MAX_CONNECTIONS = 5;
const CREATE_HEAD = 'POST /api/v1/admin/inventory HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n';

/** Request timeout, keep-alive idle timeout and the connection cap, on a real listening socket. */
describe('HTTP server limits', () => {
  let testApp: TestApp;
  let port: number;
  const sockets: Socket[] = [];

  const open = (): Socket => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
    return socket;
  };
  /** Connects, lets `drive` write whatever it wants, and resolves when the server closes the connection. */
  const exchange = (drive: (socket: Socket) => void, giveUpMs = 6_000): Promise<RawExchange> =>
    new Promise((resolve, reject) => {
      const startedAt = Date.now();
      const socket = open();
      let reply = '';
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
      socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - startedAt }));
      setTimeout(() => reject(new Error(`still open after ${giveUpMs} ms; received: ${JSON.stringify(reply)}`)), giveUpMs).unref();
      drive(socket);
    });
  const bodyOf = (reply: string) => JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));

  beforeAll(async () => {
    testApp = await createTestApp(
      { kind: 'pglite', dataDir: PGLITE_IN_MEMORY },
      { http: { requestTimeoutMs: REQUEST_TIMEOUT_MS, keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS, maxConnections: MAX_CONNECTIONS } },
    );
    await testApp.app.listen(0, '127.0.0.1');
    port = (testApp.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.destroy()));
  afterAll(() => testApp.app.close());

  it('should answer 408 in the envelope and close when the headers trickle in too slowly', async () => {
    const { reply, closedAfterMs } = await exchange((socket) => {
      socket.write('POST /api/v1/admin/inventory HTTP/1.1\r\n');
      const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
      socket.on('close', () => clearInterval(drip));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(reply).toMatch(/\r\nConnection: close\r\n/i);
    expect(bodyOf(reply)).toEqual({ success: false, code: 'REQUEST_TIMEOUT', message: expect.any(String), requestId: expect.any(String) });
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
  });

  it('should answer 408 and close when the body stalls after complete headers', async () => {
    const body = JSON.stringify({ sku: 'STALL-1', productName: 'Never', totalQuantity: 1 });
    const { reply, closedAfterMs } = await exchange((socket) =>
      socket.write(`${CREATE_HEAD}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`),
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(reply).code).toBe('REQUEST_TIMEOUT');
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/inventory/STALL-1`)).status).toBe(404);
  });

  it('should close a connection that never sends a byte', async () => {
    const { closedAfterMs } = await exchange(() => undefined);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
  });

  it('should close an idle keep-alive connection after the keep-alive timeout, and say so in Keep-Alive', async () => {
    let firstReplyAt = 0;
    const startedAt = Date.now();
    const { reply, closedAfterMs } = await exchange((socket) => {
      socket.once('data', () => (firstReplyAt = Date.now()));
      socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply).toMatch(/\r\nKeep-Alive: timeout=1\r\n/i);
    expect(firstReplyAt).toBeGreaterThan(0);
    const idleMs = startedAt + closedAfterMs - firstReplyAt;
    expect(idleMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 100);
    expect(idleMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 1_500);
  });

  it('should refuse connections beyond MAX_CONNECTIONS at once, and accept again when one closes', async () => {
    const held = Array.from({ length: MAX_CONNECTIONS }, () => open());
    await Promise.all(held.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const refused = await exchange((socket) => socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n'), 500);
    expect(refused.reply).toBe('');

    held[0].destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const served = await exchange((socket) => socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'));
    expect(served.reply).toMatch(/^HTTP\/1\.1 200 /);
  });
});
