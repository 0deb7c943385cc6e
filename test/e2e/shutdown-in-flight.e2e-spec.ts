import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';
import { waitFor } from '../support/wait-for';

const POOL_ENDED = /Cannot use a pool after calling end on the pool/;
const WAITING = /Waiting for 1 request\(s\) still being handled/;

/**
 * The database closes only once every request received has been handled, even one whose client hung up:
 * the HTTP server's close waits for connections, not for handlers still running without one.
 */
describeEachBackend('Shutdown with requests in flight', ['postgres'], () => {
  let database: TestDatabase;
  let testApp: TestApp;
  let inspector: Client;

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    testApp = await createTestApp(database.config);
    await testApp.app.listen(0, '127.0.0.1');
    inspector = new Client({ connectionString: (database.config as { url: string }).url });
    await inspector.connect();
  });
  afterEach(async () => {
    await inspector.end();
    await testApp.app.close().catch(() => undefined);
    await database.dispose();
  });

  it('should let a handler whose client hung up finish (hold and idempotency record stored) before the database closes', async () => {
    const sku = await new ReservationApi(withKey(testApp.server)).createSku(5);
    const key = 'in-flight-at-shutdown-1';
    const locker = new Client({ connectionString: (database.config as { url: string }).url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT sku FROM inventory_items WHERE sku = $1 FOR UPDATE', [sku]);

      const abandoned = sendThenHangUp((testApp.server.address() as AddressInfo).port, key, { sku, userId: 'u1', quantity: 1 });
      expect(await waitFor(async () => (await lockWaiters(inspector)) === 1, 10_000)).toBe(true);
      abandoned.destroy();

      const closing = testApp.app.close();
      // The server has no connection left, so only the handler can hold the close now.
      expect(await waitFor(async () => testApp.logger.lines.some((line) => WAITING.test(line)), 5_000)).toBe(true);
      await locker.query('COMMIT');
      await closing;
    } finally {
      await locker.end();
    }

    const holds = await inspector.query('SELECT status FROM reservations WHERE idempotency_key = $1', [key]);
    expect(holds.rows).toEqual([{ status: 'RESERVED' }]);
    const records = await inspector.query('SELECT response_status, completed_at FROM idempotency_records WHERE key = $1', [key]);
    expect(records.rows).toEqual([{ response_status: 201, completed_at: expect.any(Date) }]);
    expect(testApp.logger.lines.filter((line) => POOL_ENDED.test(line))).toEqual([]);
    expect(testApp.logger.lines.some((line) => /1 request\(s\) handled; closing the database/.test(line))).toBe(true);
  });

  it('should close at once, waiting for nothing, when no request is in flight', async () => {
    await withKey(testApp.server).get('/health/ready').expect(200);
    await testApp.app.close();
    expect(testApp.logger.lines.filter((line) => /request\(s\) still being handled/.test(line))).toEqual([]);
    expect(testApp.logger.errors).toEqual([]);
  });
});

/** Sends a reserve on a connection of its own; the caller destroys it to hang up before the answer. */
function sendThenHangUp(port: number, key: string, body: Record<string, unknown>) {
  const payload = JSON.stringify(body);
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/inventory/reserve',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'idempotency-key': key },
    agent: false,
  });
  request.on('error', () => undefined);
  request.end(payload);
  return request;
}

/** Backends of this database waiting for a lock: the reserve blocked on the SKU's row. */
async function lockWaiters(client: Client): Promise<number> {
  const { rows } = await client.query<{ waiting: number }>(
    "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return rows[0].waiting;
}
