// npm run bench: load benchmark of the built API against PostgreSQL, next to pgbench running the same SQL, then the
// embedded default (PGlite, fresh data folder) under the hot and spread scenarios for its memory.
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a fresh database is
// created next to it and dropped at the end), BENCH_DURATION_SECONDS (10), BENCH_WARMUP_SECONDS (3),
// BENCH_CONNECTIONS (64), BENCH_POOL_MAX (API pool size and pgbench clients, 10). Flag --no-build skips the build.
// Rate limits are off in the measured service (RATE_LIMIT_ENABLED=false): the load comes from one address and would
// otherwise be refused with 429 after the first 120 reserves of each minute.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { cpus, totalmem, tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const reservePath = require('./reserve-path.sql.js');

const ROOT = join(__dirname, '..');
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  duration: env('BENCH_DURATION_SECONDS', 10),
  warmup: env('BENCH_WARMUP_SECONDS', 3),
  connections: env('BENCH_CONNECTIONS', 64),
  poolMax: env('BENCH_POOL_MAX', 10),
};
const SPREAD_PREFIX = 'SPREAD-';
const SPREAD_COUNT = 1000;
const SKUS = { hot: 'HOT-1', read: 'READ-1', soldOut: 'SOLDOUT-1' };
const SOLD_OUT_STOCK = 2000;
const log = (message) => console.log(`[bench] ${message}`);

async function main() {
  if (!process.argv.includes('--no-build')) {
    log('building the production bundle (npm run build)');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  log('rate limits are off in the measured service (RATE_LIMIT_ENABLED=false): all load comes from one client address');
  const database = await createDatabase();
  const apis = [];
  try {
    const api = await startApi({ DATABASE_URL: database.url });
    apis.push(api);
    await seed(api.url);

    const results = [];
    for (const scenario of ['hot', 'spread', 'checkout', 'reads', 'soldout']) {
      log(`scenario ${scenario}: ${settings.warmup}s warm-up, ${settings.duration}s measured, ${settings.connections} connections`);
      results.push({ scenario, instances: 1, ...(await load(scenario, [api.url], settings.connections)) });
    }
    const peakRssMb = peakRss(api.pid);

    const pgbench = {};
    for (const kind of ['hot', 'spread']) {
      log(`pgbench ${kind}: the reserve path's SQL, ${settings.poolMax} clients, ${settings.duration}s`);
      pgbench[kind] = runPgbench(database.url, kind === 'hot' ? reservePath.hot(SKUS.hot) : reservePath.spread(SPREAD_PREFIX));
    }

    log('second instance on the same database');
    const second = await startApi({ DATABASE_URL: database.url });
    apis.push(second);
    for (const scenario of ['hot', 'spread']) {
      log(`scenario ${scenario} on two instances`);
      results.push({ scenario, instances: 2, ...(await load(scenario, [api.url, second.url], settings.connections)) });
    }
    const peakRssMbSecond = peakRss(second.pid);

    const problems = await checkInvariants(api.url, results);
    const pglite = await measurePglite(problems);
    const report = render(results, pgbench, Math.max(peakRssMb, peakRssMbSecond), pglite, problems);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'latest.md'), report.markdown);
    writeFileSync(join(__dirname, 'results', 'latest.json'), JSON.stringify(report.json, null, 2));
    console.log(`\n${report.markdown}`);
    log('written to bench/results/latest.md and latest.json');
    if (problems.length > 0) {
      console.error(`\nFAILED: ${problems.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    for (const api of apis) await stopApi(api);
    await database.drop();
  }
}

async function createDatabase() {
  const name = `inventory_bench_${Date.now().toString(36)}`;
  await withClient(settings.adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(settings.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withClient(settings.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

async function withClient(url, run) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The service's bootstrap key for this run (admin calls: seeding, reconcile); the load itself runs without a key. */
const ADMIN_API_KEY = `bench-${randomBytes(24).toString('hex')}`;
const ADMIN_HEADERS = { authorization: `Bearer ${ADMIN_API_KEY}` };

/** `databaseEnv`: DATABASE_URL, or PGLITE_DATA_DIR with DATABASE_URL empty for the embedded default. */
async function startApi(databaseEnv) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/apps/api/src/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...databaseEnv,
      DATABASE_POOL_MAX: String(settings.poolMax),
      LOG_LEVEL: 'warn',
      RESERVATION_TTL_SECONDS: '3600',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      RATE_LIMIT_ENABLED: 'false',
      ADMIN_API_KEY,
      METRICS_PORT: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { child, url, pid: child.pid };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`API did not become ready on ${url}`);
}

async function stopApi(api) {
  if (api.child.exitCode !== null) return;
  const exited = new Promise((resolve) => api.child.once('exit', resolve));
  api.child.kill('SIGTERM');
  await exited;
}

async function post(url, path, body) {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ADMIN_HEADERS },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`seed ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function seed(url) {
  log(`seeding ${SPREAD_COUNT} spread SKUs and the hot, read and sold-out SKUs`);
  await post(url, '/api/v1/admin/inventory', { sku: SKUS.hot, productName: 'Hot item', totalQuantity: 500_000_000 });
  await post(url, '/api/v1/admin/inventory', { sku: SKUS.read, productName: 'Read item', totalQuantity: 1000 });
  await post(url, '/api/v1/admin/inventory', { sku: SKUS.soldOut, productName: 'Limited drop', totalQuantity: SOLD_OUT_STOCK });
  for (let start = 0; start < SPREAD_COUNT; start += 500) {
    const items = Array.from({ length: 500 }, (_, i) => ({
      sku: `${SPREAD_PREFIX}${start + i}`,
      productName: 'Spread item',
      totalQuantity: 10_000_000,
    }));
    const result = await post(url, '/api/v1/admin/inventory/bulk', { items });
    if (result.data.failed > 0) throw new Error(`seeding failed for ${result.data.failed} items`);
  }
}

function loadOnce(scenario, url, connections) {
  const spec = {
    scenario,
    url,
    connections,
    durationSeconds: settings.duration,
    warmupSeconds: settings.warmup,
    hotSku: SKUS.hot,
    readSku: SKUS.read,
    soldOutSku: SKUS.soldOut,
    spreadPrefix: SPREAD_PREFIX,
    spreadCount: SPREAD_COUNT,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'load.js'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`load generator exited ${code}`))));
  });
}

/** One load generator per instance, run at the same time, connections split between them; results summed. */
async function load(scenario, urls, connections) {
  const parts = await Promise.all(urls.map((url) => loadOnce(scenario, url, Math.ceil(connections / urls.length))));
  const statuses = {};
  for (const part of parts) for (const [code, count] of Object.entries(part.statuses)) statuses[code] = (statuses[code] || 0) + count;
  const worst = (field) => Math.max(...parts.map((part) => part.latency[field]));
  return {
    requestsPerSecond: parts.reduce((sum, part) => sum + part.requestsPerSecond, 0),
    latency: { p50: worst('p50'), p90: worst('p90'), p99: worst('p99'), max: worst('max') },
    statuses,
    errors: parts.reduce((sum, part) => sum + part.errors + part.timeouts, 0),
  };
}

/** VmHWM: the most the process has ever held resident (startup included); VmRSS: what it holds now. */
function peakRss(pid, field = 'VmHWM') {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** The embedded default on a new data folder: RSS once started (2 s after ready), then peak RSS over hot and spread. */
async function measurePglite(problems) {
  const dataDir = mkdtempSync(join(tmpdir(), 'inventory-bench-pglite-'));
  const api = await startApi({ DATABASE_URL: '', PGLITE_DATA_DIR: dataDir });
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const startupRssMb = peakRss(api.pid, 'VmRSS');
    await seed(api.url);
    const results = [];
    for (const scenario of ['hot', 'spread']) {
      log(`PGlite scenario ${scenario}: ${settings.warmup}s warm-up, ${settings.duration}s measured, ${settings.connections} connections`);
      results.push({ scenario, instances: 1, ...(await load(scenario, [api.url], settings.connections)) });
    }
    const peakRssMb = peakRss(api.pid);
    problems.push(...(await checkInvariants(api.url, results)).map((problem) => `PGlite: ${problem}`));
    return { startupRssMb, peakRssMb, results };
  } finally {
    await stopApi(api);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function runPgbench(databaseUrl, script) {
  const file = join(tmpdir(), `reserve-path-${process.pid}.sql`);
  writeFileSync(file, script);
  // -M prepared: the API sends these statements as named prepared statements too.
  const output = execFileSync(
    'pgbench',
    ['-n', '-M', 'prepared', '-c', String(settings.poolMax), '-j', '2', '-T', String(settings.duration), '-f', file, databaseUrl],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const tps = /tps = ([\d.]+)/.exec(output);
  const latency = /latency average = ([\d.]+) ms/.exec(output);
  const failed = /number of failed transactions: (\d+)/.exec(output);
  return { tps: tps ? Number(tps[1]) : NaN, latencyAverageMs: latency ? Number(latency[1]) : NaN, failed: failed ? Number(failed[1]) : 0 };
}

async function checkInvariants(url, results) {
  const problems = [];
  for (const result of results) {
    const serverErrors = Object.entries(result.statuses)
      .filter(([code]) => Number(code) >= 500)
      .reduce((sum, [, count]) => sum + count, 0);
    if (serverErrors > 0) problems.push(`${result.scenario} (${result.instances} instance(s)) answered ${serverErrors} 5xx`);
    if (result.errors > 0)
      problems.push(`${result.scenario} (${result.instances} instance(s)) had ${result.errors} connection errors or timeouts`);
  }
  const skus = [SKUS.hot, SKUS.read, SKUS.soldOut, ...Array.from({ length: SPREAD_COUNT }, (_, i) => `${SPREAD_PREFIX}${i}`)];
  let checked = 0;
  for (const sku of skus) {
    const response = await fetch(`${url}/api/v1/admin/inventory/${sku}/reconcile`, { headers: ADMIN_HEADERS });
    const body = await response.json();
    if (response.status !== 200 || !body.data.consistent) problems.push(`reconcile ${sku}: ${JSON.stringify(body.data || body)}`);
    checked++;
  }
  const soldOut = (await (await fetch(`${url}/api/v1/admin/inventory/${SKUS.soldOut}/reconcile`, { headers: ADMIN_HEADERS })).json()).data;
  const soldOutRan = results.some((result) => result.scenario === 'soldout');
  const oversold = soldOut.counters.reservedQuantity + soldOut.counters.soldQuantity > SOLD_OUT_STOCK;
  if (oversold || (soldOutRan && soldOut.counters.availableQuantity !== 0)) {
    problems.push(`sold-out SKU: ${JSON.stringify(soldOut.counters)}`);
  }
  log(`invariants checked on ${checked} SKUs through /reconcile`);
  return problems;
}

function render(results, pgbench, peakRssMb, pglite, problems) {
  const one = (scenario) => results.find((r) => r.scenario === scenario && r.instances === 1);
  const two = (scenario) => results.find((r) => r.scenario === scenario && r.instances === 2);
  const statusText = (statuses) =>
    Object.entries(statuses)
      .map(([code, count]) => `${code}: ${count}`)
      .join(', ');
  const tableRow = (...cells) => `| ${cells.join(' | ')} |`;
  const rows = results.map((r) =>
    tableRow(
      r.scenario,
      r.instances,
      Math.round(r.requestsPerSecond),
      r.latency.p50,
      r.latency.p90,
      r.latency.p99,
      r.latency.max,
      statusText(r.statuses),
    ),
  );
  const ratio = (api, db) => (api / db).toFixed(2);
  const machine = `${cpus().length} cores (${cpus()[0].model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const markdown = [
    `Measured ${new Date().toISOString()} on ${machine}; API, PostgreSQL and load generator share the machine.`,
    `Settings: ${settings.duration}s per scenario after ${settings.warmup}s warm-up, ${settings.connections} connections, ` +
      `API pool ${settings.poolMax}, pgbench ${settings.poolMax} clients; rate limits off (RATE_LIMIT_ENABLED=false).`,
    '',
    '| scenario | instances | req/s | p50 ms | p90 ms | p99 ms | max ms | responses |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '| reserve path | API req/s | pgbench tps (same SQL) | API / pgbench |',
    '|---|---|---|---|',
    tableRow(
      'hot SKU',
      Math.round(one('hot').requestsPerSecond),
      Math.round(pgbench.hot.tps),
      ratio(one('hot').requestsPerSecond, pgbench.hot.tps),
    ),
    tableRow(
      `spread over ${SPREAD_COUNT} SKUs`,
      Math.round(one('spread').requestsPerSecond),
      Math.round(pgbench.spread.tps),
      ratio(one('spread').requestsPerSecond, pgbench.spread.tps),
    ),
    '',
    `Peak API RSS: ${peakRssMb} MB. Two instances vs one: hot ${ratio(two('hot').requestsPerSecond, one('hot').requestsPerSecond)}x, ` +
      `spread ${ratio(two('spread').requestsPerSecond, one('spread').requestsPerSecond)}x.`,
    `PGlite (embedded default, new data folder): RSS ${pglite.startupRssMb} MB after startup, peak ${pglite.peakRssMb} MB; ` +
      pglite.results
        .map((r) => `${r.scenario} ${Math.round(r.requestsPerSecond)} req/s (p99 ${r.latency.p99} ms; ${statusText(r.statuses)})`)
        .join(', ') +
      '.',
    `Invariants after the load (reconcile of every SKU, no 5xx): ${problems.length === 0 ? 'all hold' : `BROKEN: ${problems.join('; ')}`}.`,
  ].join('\n');
  return { markdown, json: { machine, settings: { ...settings, rateLimits: 'off' }, results, pgbench, peakRssMb, pglite, problems } };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
