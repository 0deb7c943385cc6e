import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, spawnApi } from '../support/api-process';
import { TEST_ADMIN_API_KEY } from '../support/create-test-app';

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_API_KEY}` };
import { KeepAliveClient, Outcome } from '../support/keep-alive-client';
import { waitFor } from '../support/wait-for';

const WORKERS = 16;
const STOCK = 100_000;
const LISTENING = /Listening on/;

interface Attempt {
  key: string;
  outcome: Outcome;
}

/**
 * Keep-alive clients (as Node's fetch and most HTTP libraries are) reserving through a SIGTERM of the real
 * process: no answer is a 5xx, every answered hold survives, and a request that got only a connection error
 * can be retried with its key after the restart without losing or doubling a unit.
 */
describe('SIGTERM under keep-alive load', () => {
  const running: ApiProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const api = await spawnApi({ ADMIN_API_KEY: TEST_ADMIN_API_KEY, ...env });
    running.push(api);
    await api.waitForOutput(LISTENING);
    return api;
  };
  afterEach(async () => {
    for (const api of running.splice(0)) {
      if (api.child.exitCode === null) {
        api.child.kill('SIGKILL');
        await api.waitForExit();
      }
    }
  });

  it('should answer no 5xx and lose no hold', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'inventory-e2e-')), 'data');
    const sku = `DRAIN-${randomUUID().slice(0, 8)}`;
    const reserveBody = { sku, userId: 'drain-test', quantity: 1 };

    const first = await start({ PGLITE_DATA_DIR: dataDir, SHUTDOWN_DRAIN_DELAY_MS: '1000' });
    const client = new KeepAliveClient(first.url, WORKERS);
    const created = await client.send('POST', '/api/v1/admin/inventory', { sku, productName: 'Drained', totalQuantity: STOCK }, ADMIN);
    expect(created.kind === 'response' && created.status).toBe(201);

    const attempts: Attempt[] = [];
    let stopped = false;
    const worker = async () => {
      while (!stopped) {
        const key = randomUUID();
        const outcome = await client.send('POST', '/api/v1/inventory/reserve', reserveBody, { 'Idempotency-Key': key });
        attempts.push({ key, outcome });
        // Nothing listens any more: the process is closing or gone.
        if (outcome.kind === 'connection-error' && outcome.code === 'ECONNREFUSED') return;
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    // Under load before the signal, however slow the machine: the drain and the close then happen with requests in flight.
    expect(await waitFor(async () => attempts.length >= WORKERS * 5, 30_000)).toBe(true);
    first.child.kill('SIGTERM');
    const exitCode = await first.waitForExit();
    stopped = true;
    await Promise.all(workers);
    expect(exitCode).toBe(0);
    client.close();

    const answered = attempts.filter((attempt) => attempt.outcome.kind === 'response');
    const statuses = answered.map(({ outcome }) => (outcome.kind === 'response' ? outcome.status : 0));
    const unanswered = attempts.filter((attempt) => attempt.outcome.kind === 'connection-error');
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect(answered.length).toBeGreaterThanOrEqual(WORKERS * 5);

    const second = await start({ PGLITE_DATA_DIR: dataDir });
    const after = new KeepAliveClient(second.url, WORKERS);
    try {
      for (const { outcome } of answered) {
        const id = outcome.kind === 'response' ? JSON.parse(outcome.body).data.reservationId : '';
        const hold = await after.send('GET', `/api/v1/reservations/${id}`);
        expect(hold.kind === 'response' && hold.status).toBe(200);
      }
      // A request that got no answer may or may not have committed: retrying with its key settles it exactly once.
      for (const { key } of unanswered) {
        const retried = await after.send('POST', '/api/v1/inventory/reserve', reserveBody, { 'Idempotency-Key': key });
        expect(retried.kind === 'response' && retried.status).toBe(201);
      }
      const reconcile = await after.send('GET', `/api/v1/admin/inventory/${sku}/reconcile`, undefined, ADMIN);
      const data = reconcile.kind === 'response' ? JSON.parse(reconcile.body).data : undefined;
      expect(data).toMatchObject({
        consistent: true,
        counters: { reservedQuantity: attempts.length, availableQuantity: STOCK - attempts.length },
      });
    } finally {
      after.close();
    }
  });
});
