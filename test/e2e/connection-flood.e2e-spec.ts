import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { ApiProcess, spawnApi } from '../support/api-process';
import { TEST_ADMIN_API_KEY } from '../support/create-test-app';

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_API_KEY}` };
import { KeepAliveClient, Outcome } from '../support/keep-alive-client';

const MAX_CONNECTIONS = 40;
const CLIENTS = 8;
const FLOOD = 300;
/** File descriptors the process may open beyond those it holds once warmed up: enough under the cap, not for the flood. */
const HEADROOM = 100;

/**
 * A slowloris flood (connections that send half a request and stall) against a process with a tight
 * open-file limit. The connection cap keeps descriptors free, so the database pool still opens its
 * connections and clients already connected are served: never a 500.
 */
describeEachBackend('Connection flood under a file-descriptor limit', ['pglite', 'postgres'], (backend) => {
  let database: TestDatabase;
  let api: ApiProcess;
  let client: KeepAliveClient;
  const flood: Socket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    const databaseEnv: Record<string, string> =
      database.config.kind === 'postgres' ? { DATABASE_URL: database.config.url } : { PGLITE_DATA_DIR: 'memory://' };
    api = await spawnApi({
      ...databaseEnv,
      ADMIN_API_KEY: TEST_ADMIN_API_KEY,
      MAX_CONNECTIONS: String(MAX_CONNECTIONS),
      DATABASE_POOL_MAX: String(CLIENTS),
      REQUEST_TIMEOUT_MS: '120000',
    });
    await api.waitForOutput(/Listening on/);
    client = new KeepAliveClient(api.url, CLIENTS);
  });
  afterAll(async () => {
    flood.forEach((socket) => socket.destroy());
    client?.close();
    if (api?.child.exitCode === null) {
      api.child.kill('SIGKILL');
      await api.waitForExit();
    }
    await database?.dispose();
  });

  const statusOf = (outcome: Outcome) => (outcome.kind === 'response' ? outcome.status : outcome.code);

  it('should keep serving connected clients, with the pool opening new connections, while the flood is refused', async () => {
    const sku = `FLOOD-${randomUUID().slice(0, 8)}`;
    expect(
      statusOf(await client.send('POST', '/api/v1/admin/inventory', { sku, productName: 'Flooded', totalQuantity: 1000 }, ADMIN)),
    ).toBe(201);
    // Every client connection opened (and kept alive) before the limit is lowered.
    const warm = await Promise.all(Array.from({ length: CLIENTS }, () => client.send('GET', '/health/live')));
    expect(warm.map(statusOf)).toEqual(Array(CLIENTS).fill(200));

    const pid = api.child.pid!;
    const open = readdirSync(`/proc/${pid}/fd`).length;
    execFileSync('prlimit', [`--pid=${pid}`, `--nofile=${open + HEADROOM}:${open + HEADROOM}`]);

    for (let i = 0; i < FLOOD; i++) {
      const socket = connect(api.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write('POST /api/v1/inventory/reserve HTTP/1.1\r\nHost: x\r\n'));
      flood.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const statuses: Array<number | string> = [];
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.all(
        Array.from({ length: CLIENTS }, () =>
          client.send('POST', '/api/v1/inventory/reserve', { sku, userId: 'flood-test', quantity: 1 }, { 'Idempotency-Key': randomUUID() }),
        ),
      );
      statuses.push(...outcomes.map(statusOf));
    }
    expect(statuses).toEqual(Array(3 * CLIENTS).fill(201));
    expect(api.child.exitCode).toBeNull();

    const reconcile = await client.send('GET', `/api/v1/admin/inventory/${sku}/reconcile`, undefined, ADMIN);
    expect(reconcile.kind === 'response' && JSON.parse(reconcile.body).data).toMatchObject({
      consistent: true,
      counters: { reservedQuantity: 3 * CLIENTS, availableQuantity: 1000 - 3 * CLIENTS },
    });
  });
});
