import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, runApiKeyCli, spawnApi } from '../support/api-process';

const LISTENING = /Listening on/;

/** The real entry point in a child process: startup, persistence across restarts, signals, PGlite folder lock. */
describe('API process on embedded PGlite', () => {
  const running: ApiProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const api = await spawnApi(env);
    running.push(api);
    return api;
  };
  const freshDataDir = () => join(mkdtempSync(join(tmpdir(), 'inventory-e2e-')), 'data');

  afterEach(async () => {
    for (const api of running.splice(0)) {
      if (api.child.exitCode === null) {
        api.child.kill('SIGKILL');
        await api.waitForExit();
      }
    }
  });

  it('should keep data across a SIGTERM and a restart, exiting 0', async () => {
    const dataDir = freshDataDir();
    const first = await start({ PGLITE_DATA_DIR: dataDir, SHUTDOWN_DRAIN_DELAY_MS: '0' });
    await first.waitForOutput(LISTENING);
    // No ADMIN_API_KEY and no key yet: the embedded default generated one, printed it once and kept it for the walk-through.
    const keyFile = join(dataDir, 'admin-api-key');
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^irs_[A-Za-z0-9_-]{43}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(first.output().split(key)).toHaveLength(2);
    const unauthenticated = await fetch(`${first.url}/api/v1/admin/inventory/all`);
    expect(unauthenticated.status).toBe(401);
    const created = await fetch(`${first.url}/api/v1/admin/inventory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ sku: 'KEEP-1', productName: 'Survivor', totalQuantity: 3 }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.waitForExit()).toBe(0);
    expect(existsSync(join(dataDir, '.inventory-service.lock'))).toBe(false);

    const second = await start({ PGLITE_DATA_DIR: dataDir });
    await second.waitForOutput(LISTENING);
    const response = await fetch(`${second.url}/api/v1/inventory/KEEP-1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      success: true,
      data: { sku: 'KEEP-1', productName: 'Survivor', totalQuantity: 3, availableQuantity: 3 },
    });
    // The key survived the restart, was not generated or printed again, and the secret of a key created now is logged nowhere.
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect(second.output()).not.toContain(key);
    const newKey = await fetch(`${second.url}/api/v1/admin/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ name: 'storefront', scopes: ['reservations:write'] }),
    });
    expect(newKey.status).toBe(201);
    const secret = ((await newKey.json()) as { data: { key: string } }).data.key;
    second.child.kill('SIGTERM');
    await second.waitForExit();
    expect(second.output()).not.toContain(secret);
  });

  it('should manage keys from the command line, and say why it cannot while the service holds the PGlite folder', async () => {
    const dataDir = freshDataDir();
    const created = await runApiKeyCli(['create', '--name', 'first', '--scopes', 'inventory:read,keys:write'], {
      PGLITE_DATA_DIR: dataDir,
    });
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^irs_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('shown only now');

    // A key exists, so the service generates none; the CLI's key works.
    const api = await start({ PGLITE_DATA_DIR: dataDir });
    await api.waitForOutput(LISTENING);
    expect(existsSync(join(dataDir, 'admin-api-key'))).toBe(false);
    expect((await fetch(`${api.url}/api/v1/admin/api-keys`, { headers: { 'x-api-key': key } })).status).toBe(200);
    expect((await fetch(`${api.url}/api/v1/admin/inventory`, { method: 'POST', headers: { 'x-api-key': key } })).status).toBe(403);

    const blocked = await runApiKeyCli(['list'], { PGLITE_DATA_DIR: dataDir });
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain('is in use by another process');
    expect(blocked.stderr).toContain('POST /api/v1/admin/api-keys');
    api.child.kill('SIGTERM');
    expect(await api.waitForExit()).toBe(0);

    const listed = await runApiKeyCli(['list'], { PGLITE_DATA_DIR: dataDir });
    expect(listed.stdout).toContain(`${key.slice(0, 12)}\t`);
    expect(listed.stdout).not.toContain(key);
    const id = listed.stdout.split('\t')[0];
    expect((await runApiKeyCli(['revoke', id], { PGLITE_DATA_DIR: dataDir })).status).toBe(0);
    expect((await runApiKeyCli(['list'], { PGLITE_DATA_DIR: dataDir })).stdout).toContain('revoked');
  });

  it('should refuse a second process on the same data folder with a clear error', async () => {
    const dataDir = freshDataDir();
    const owner = await start({ PGLITE_DATA_DIR: dataDir });
    await owner.waitForOutput(LISTENING);

    const intruder = await start({ PGLITE_DATA_DIR: dataDir });
    expect(await intruder.waitForExit()).toBe(1);
    expect(intruder.output()).toContain(`is in use by another process (pid ${owner.child.pid})`);

    expect((await fetch(`${owner.url}/health/ready`)).status).toBe(200);
  });

  it('should on SIGTERM turn readiness 503, finish the in-flight request, then exit 0', async () => {
    const adminKey = 'process-test-admin-key-0123456789-abcdefghij';
    const api = await start({ PGLITE_DATA_DIR: freshDataDir(), SHUTDOWN_DRAIN_DELAY_MS: '1500', ADMIN_API_KEY: adminKey });
    await api.waitForOutput(LISTENING);
    expect(api.output()).toContain('ADMIN_API_KEY is set');

    // A request whose body is only half sent is in flight across the whole shutdown.
    const body = JSON.stringify({ sku: 'INFLIGHT-1', productName: 'Late', totalQuantity: 1 });
    const socket = connect(api.port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST /api/v1/admin/inventory HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${adminKey}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );

    api.child.kill('SIGTERM');
    await api.waitForOutput(/readiness is now 503/);
    api.child.kill('SIGTERM');
    await api.waitForOutput(/received again: shutdown is already under way/);
    expect((await fetch(`${api.url}/health/ready`)).status).toBe(503);

    await api.waitForOutput(/waiting for in-flight requests/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.child.exitCode).toBeNull();
    socket.end(body.slice(10));
    await closed;
    expect(reply).toMatch(/^HTTP\/1\.1 201/);
    expect(reply).toContain('"sku":"INFLIGHT-1"');
    expect(await api.waitForExit()).toBe(0);
    expect(api.output()).not.toContain(adminKey);
  });

  it('should stop on invalid configuration, naming each bad variable and no credentials', async () => {
    const api = await start({
      PORT: 'abc',
      DATABASE_URL: 'mysql://shop:hunter2@db/shop',
      LOG_FORMAT: 'xml',
      ADMIN_API_KEY: 'hunter3-too-short',
    });
    expect(await api.waitForExit()).toBe(1);
    expect(api.output()).toMatch(
      /Startup failed: Invalid configuration: PORT .*LOG_FORMAT .*ADMIN_API_KEY must be 32-512 characters .*DATABASE_URL has an unsupported scheme/,
    );
    expect(api.output()).not.toContain('hunter2');
    expect(api.output()).not.toContain('hunter3');
  });

  it('should stop with one clear line, and no credentials, when MongoDB is unreachable', async () => {
    const api = await start({ DATABASE_URL: 'mongodb://shop:hunter2@127.0.0.1:1/shop' });
    expect(await api.waitForExit(45_000)).toBe(1);
    expect(api.output()).not.toContain('hunter2');
    const lastLine = api.output().trim().split('\n').pop();
    expect(lastLine).toBe('Startup failed: Cannot reach MongoDB at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1');
  });

  it('should parse a replica-set URL of several hosts and stop within seconds because MongoDB is unreachable', async () => {
    const startedAt = Date.now();
    const api = await start({ DATABASE_URL: 'mongodb://127.0.0.1:1,127.0.0.1:2/inv?replicaSet=rs0&serverSelectionTimeoutMS=2000' });
    expect(await api.waitForExit(30_000)).toBe(1);
    const lines = api.output().trim().split('\n');
    expect(lines.pop()).toMatch(
      /^Startup failed: Cannot reach MongoDB at 127\.0\.0\.1:1,127\.0\.0\.1:2 \(replica set rs0\): connect ECONNREFUSED 127\.0\.0\.1:[12]$/,
    );
    expect(api.output()).not.toMatch(/Invalid URL|TypeError/);
    // ts-node compiles main.ts first; the server selection itself is bounded by the URL's 2000 ms, not the default 10 s.
    expect(Date.now() - startedAt).toBeLessThan(20_000);
  });
});
