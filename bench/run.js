// npm run bench: load benchmark of the built API against PostgreSQL, next to its floor (bench/floor-server.js: raw
// Fastify + pg doing the same durable work in one statement), pgbench running that one statement and pgbench running
// the service's own SQL (the hot and spread reserve, side by side, with each ratio), then the
// embedded default (PGlite, fresh data folder) under the hot and spread scenarios for its memory. Scenarios: hot (one SKU),
// hot8 (one SKU, HOT-8B, its stock over 8 stock buckets, reserved like hot),
// spread (1,000 SKUs), cart5 (a 5-line cart of distinct spread SKUs per request, POST /reservations), checkout, reads, soldout.
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a fresh database is
// created next to it and dropped at the end), BENCH_DURATION_SECONDS (10), BENCH_WARMUP_SECONDS (3),
// BENCH_CONNECTIONS (64), BENCH_POOL_MAX (API pool size and pgbench clients, 10), BENCH_LAYER_ROUNDS (3: how many times
// the layer variants run, interleaved). Flag --no-build skips the build; --only=main,layers,pglite runs only those phases
// (for trial runs; the report then has only their sections).
// Rate limits are off in the measured service (RATE_LIMIT_ENABLED=false): the load comes from one address and would
// otherwise be refused with 429 after the first 120 reserves of each minute. The layers phase turns them on with limits
// no run can reach, to measure the cost of counting (and fails on any 429).
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { cpus, loadavg, totalmem, tmpdir } = require('node:os');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { Client } = require('pg');
const oneStatement = require('./one-statement.sql.js');
const reservePath = require('./reserve-path.sql.js');

const ROOT = join(__dirname, '..');
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  duration: env('BENCH_DURATION_SECONDS', 10),
  warmup: env('BENCH_WARMUP_SECONDS', 3),
  connections: env('BENCH_CONNECTIONS', 64),
  poolMax: env('BENCH_POOL_MAX', 10),
  layerRounds: env('BENCH_LAYER_ROUNDS', 3),
};
const PHASES = ['main', 'layers', 'pglite'];
const onlyFlag = process.argv.find((arg) => arg.startsWith('--only='));
const phases = onlyFlag ? onlyFlag.slice('--only='.length).split(',') : PHASES;
const unknownPhase = phases.find((phase) => !PHASES.includes(phase));
if (unknownPhase) throw new Error(`unknown phase '${unknownPhase}' in --only (phases: ${PHASES.join(', ')})`);
const SPREAD_PREFIX = 'SPREAD-';
const SPREAD_COUNT = 1000;
const SKUS = { hot: 'HOT-1', hot8: 'HOT-8B', read: 'READ-1', soldOut: 'SOLDOUT-1' };
/** The flash-sale SKU's stock buckets (scenario hot8: reserved like hot). */
const HOT8_BUCKETS = 8;
const SOLD_OUT_STOCK = 2000;
const loadAverageAtStart = loadavg();
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
    const report = { results, problems: [] };
    if (phases.includes('main')) {
      const runScenario = async (scenario) => {
        log(`scenario ${scenario}: ${settings.warmup}s warm-up, ${settings.duration}s measured, ${settings.connections} connections`);
        results.push({ scenario, instances: 1, ...(await load(scenario, [api.url], settings.connections)) });
      };
      for (const scenario of ['hot', 'hot8', 'spread']) await runScenario(scenario);
      report.floor = await measureFloor(database.url);
      report.pgbench = { oneStatement: {}, serviceSql: {} };
      for (const kind of ['hot', 'spread']) {
        log(`pgbench ${kind}: the floor's one statement, ${settings.poolMax} clients, ${settings.duration}s`);
        report.pgbench.oneStatement[kind] = runPgbench(database.url, pgbenchScript(oneStatement, kind));
        log(`pgbench ${kind}: the service's reserve SQL, ${settings.poolMax} clients, ${settings.duration}s`);
        report.pgbench.serviceSql[kind] = runPgbench(database.url, pgbenchScript(reservePath, kind));
      }
      for (const scenario of ['cart5', 'checkout', 'reads', 'soldout']) await runScenario(scenario);
      report.peakRssMb = peakRss(api.pid);

      log('second instance on the same database');
      const second = await startApi({ DATABASE_URL: database.url });
      apis.push(second);
      for (const scenario of ['hot', 'spread']) {
        log(`scenario ${scenario} on two instances`);
        results.push({ scenario, instances: 2, ...(await load(scenario, [api.url, second.url], settings.connections)) });
      }
      report.peakRssMb = Math.max(report.peakRssMb, peakRss(second.pid));
      await stopApi(second);
    }
    if (phases.includes('layers')) report.layers = await measureLayers(api.url, database.url, report.problems);

    const floorResults = report.floor ? Object.values(report.floor) : [];
    report.problems.push(...(await checkInvariants(api.url, [...results, ...floorResults])));
    if (phases.includes('pglite')) report.pglite = await measurePglite(report.problems);
    const rendered = render(report);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'latest.md'), rendered.markdown);
    writeFileSync(join(__dirname, 'results', 'latest.json'), JSON.stringify(rendered.json, null, 2));
    console.log(`\n${rendered.markdown}`);
    log('written to bench/results/latest.md and latest.json');
    if (report.problems.length > 0) {
      console.error(`\nFAILED: ${report.problems.join('; ')}`);
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

/**
 * `envOverrides`: DATABASE_URL, or PGLITE_DATA_DIR with DATABASE_URL empty for the embedded default, and any setting a
 * variant changes. With request logs on (LOG_LEVEL=log) the process's stdout is discarded: the lines are still written.
 */
async function startApi(envOverrides, script = join(ROOT, 'dist/apps/api/apps/api/src/main.js')) {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_POOL_MAX: String(settings.poolMax),
      LOG_LEVEL: 'warn',
      RESERVATION_TTL_SECONDS: '3600',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      RATE_LIMIT_ENABLED: 'false',
      ADMIN_API_KEY,
      METRICS_PORT: '0',
      ...envOverrides,
    },
    stdio: ['ignore', envOverrides.LOG_LEVEL === 'log' ? 'ignore' : 'inherit', 'inherit'],
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

/** A port the kernel just handed out (a random pick collided with another process on this shared machine). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
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
  await post(url, '/api/v1/admin/inventory', {
    sku: SKUS.hot8,
    productName: 'Flash-sale item',
    totalQuantity: 500_000_000,
    stockBuckets: HOT8_BUCKETS,
  });
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

function loadOnce(scenario, url, connections, authorization) {
  const spec = {
    authorization,
    scenario,
    url,
    connections,
    durationSeconds: settings.duration,
    warmupSeconds: settings.warmup,
    hotSku: SKUS.hot,
    hot8Sku: SKUS.hot8,
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
async function load(scenario, urls, connections, authorization) {
  const parts = await Promise.all(urls.map((url) => loadOnce(scenario, url, Math.ceil(connections / urls.length), authorization)));
  const statuses = sumStatuses(parts.map((part) => part.statuses));
  const worst = (field) => Math.max(...parts.map((part) => part.latency[field]));
  return {
    requestsPerSecond: parts.reduce((sum, part) => sum + part.requestsPerSecond, 0),
    latency: { p50: worst('p50'), p90: worst('p90'), p99: worst('p99'), max: worst('max') },
    statuses,
    errors: parts.reduce((sum, part) => sum + part.errors + part.timeouts, 0),
  };
}

/** Limits no run reaches (the most RATE_LIMIT_*_PER_MINUTE accept): every request is counted, none refused. */
const UNREACHABLE_LIMIT = '1000000';
const LIMITS_ON = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_PER_MINUTE: UNREACHABLE_LIMIT,
  RATE_LIMIT_RESERVE_PER_MINUTE: UNREACHABLE_LIMIT,
};
const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';

/**
 * What each layer costs end to end, one API process per variant and round on the main phase's database, the variants
 * interleaved (A B C D A B C D ...) so a noisy neighbour hits them alike; medians and ratios to the first variant.
 * Reserve: hot SKU with no key / a created reservations:write key (Bearer, one indexed lookup by prefix) / key + limits
 * in memory / key + limits in Redis. Reads: GET /inventory/:sku with the bench's settings / metrics off / request log on.
 */
async function measureLayers(apiUrl, databaseUrl, problems) {
  const created = await post(apiUrl, '/api/v1/admin/api-keys', { name: 'bench reserve client', scopes: ['reservations:write'] });
  const bearer = `Bearer ${created.data.key}`;
  const redisPrefix = `bench-${process.pid}-${Date.now().toString(36)}:`;
  const sets = [
    {
      scenario: 'hot',
      variants: [
        { name: 'no key, limits off (baseline)', env: {} },
        { name: 'API key, limits off', env: {}, authorization: bearer },
        { name: 'API key, limits in memory', env: LIMITS_ON, authorization: bearer, limited: true },
        {
          name: 'API key, limits in Redis',
          env: { ...LIMITS_ON, REDIS_URL, RATE_LIMIT_KEY_PREFIX: redisPrefix },
          authorization: bearer,
          limited: true,
        },
      ],
    },
    {
      scenario: 'reads',
      variants: [
        { name: 'bench settings (metrics on, LOG_LEVEL=warn: no request lines) (baseline)', env: {} },
        { name: 'metrics off (METRICS_ENABLED=false)', env: { METRICS_ENABLED: 'false' } },
        { name: 'request log on (LOG_LEVEL=log, JSON lines)', env: { LOG_LEVEL: 'log', LOG_FORMAT: 'json' } },
      ],
    },
  ];
  for (const set of sets) for (const variant of set.variants) variant.runs = [];
  for (let round = 1; round <= settings.layerRounds; round++) {
    for (const set of sets) {
      for (const variant of set.variants) {
        log(`layers round ${round}/${settings.layerRounds}, ${set.scenario}: ${variant.name}`);
        const api = await startApi({ DATABASE_URL: databaseUrl, ...variant.env });
        try {
          variant.runs.push(await load(set.scenario, [api.url], settings.connections, variant.authorization));
        } finally {
          await stopApi(api);
        }
      }
    }
  }
  for (const set of sets) {
    for (const variant of set.variants) {
      const label = `layers ${set.scenario}, ${variant.name}`;
      const statuses = sumStatuses(variant.runs.map((run) => run.statuses));
      const expected = set.scenario === 'hot' ? '201' : '200';
      const unexpected = Object.entries(statuses).filter(([code]) => code !== expected);
      if (unexpected.length > 0) problems.push(`${label} answered ${unexpected.map(([code, count]) => `${count} x ${code}`).join(', ')}`);
      const errors = variant.runs.reduce((sum, run) => sum + run.errors, 0);
      if (errors > 0) problems.push(`${label} had ${errors} connection errors or timeouts`);
      variant.statuses = statuses;
      variant.medianRequestsPerSecond = median(variant.runs.map((run) => run.requestsPerSecond));
      variant.medianP99 = median(variant.runs.map((run) => run.latency.p99));
    }
    const baseline = set.variants[0].medianRequestsPerSecond;
    for (const variant of set.variants) variant.ratio = variant.medianRequestsPerSecond / baseline;
  }
  return { rounds: settings.layerRounds, sets };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function sumStatuses(list) {
  const statuses = {};
  for (const part of list) for (const [code, count] of Object.entries(part)) statuses[code] = (statuses[code] || 0) + count;
  return statuses;
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

/**
 * The raw Fastify + pg floor (bench/floor-server.js) on the same database, under the same hot and spread load as the
 * service; its 5xx and connection errors count like the service's, and reconcile sees its writes.
 */
async function measureFloor(databaseUrl) {
  const floor = await startApi({ DATABASE_URL: databaseUrl, BENCH_POOL_MAX: String(settings.poolMax) }, join(__dirname, 'floor-server.js'));
  try {
    const measured = {};
    for (const scenario of ['hot', 'spread']) {
      log(`floor ${scenario}: ${settings.warmup}s warm-up, ${settings.duration}s measured, ${settings.connections} connections`);
      measured[scenario] = { scenario: `floor ${scenario}`, instances: 1, ...(await load(scenario, [floor.url], settings.connections)) };
    }
    return measured;
  } finally {
    await stopApi(floor);
  }
}

const pgbenchScript = (statements, kind) => (kind === 'hot' ? statements.hot(SKUS.hot) : statements.spread(SPREAD_PREFIX));

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
  const skus = [SKUS.hot, SKUS.hot8, SKUS.read, SKUS.soldOut, ...Array.from({ length: SPREAD_COUNT }, (_, i) => `${SPREAD_PREFIX}${i}`)];
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

function render({ results, floor, pgbench, peakRssMb, layers, pglite, problems }) {
  const one = (scenario) => results.find((r) => r.scenario === scenario && r.instances === 1);
  const two = (scenario) => results.find((r) => r.scenario === scenario && r.instances === 2);
  const statusText = (statuses) =>
    Object.entries(statuses)
      .map(([code, count]) => `${code}: ${count}`)
      .join(', ');
  const tableRow = (...cells) => `| ${cells.join(' | ')} |`;
  const ratio = (api, db) => (api / db).toFixed(2);
  const machine = `${cpus().length} cores (${cpus()[0].model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const lines = [
    `Measured ${new Date().toISOString()} on ${machine}; API, PostgreSQL and load generator share the machine; ` +
      `load average before the run ${loadAverageAtStart.map((value) => value.toFixed(1)).join(', ')} (1, 5, 15 min).`,
    `Settings: ${settings.duration}s per scenario after ${settings.warmup}s warm-up, ${settings.connections} connections, ` +
      `API pool ${settings.poolMax}, pgbench ${settings.poolMax} clients; rate limits off (RATE_LIMIT_ENABLED=false) except where a ` +
      `layer variant says otherwise. Phases: ${phases.join(', ')}.`,
  ];
  if (phases.includes('main')) {
    lines.push(
      '',
      '| scenario | instances | req/s | p50 ms | p90 ms | p99 ms | max ms | responses |',
      '|---|---|---|---|---|---|---|---|',
      ...results.map((r) =>
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
      ),
      '',
      'Reserve path, side by side: the service; the floor (bench/floor-server.js: raw Fastify + pg, the same durable work in ' +
        `one statement); pgbench running that one statement; pgbench running the service's own SQL (${settings.poolMax} clients each).`,
      '',
      '| reserve path | service req/s | floor req/s | pgbench one statement tps | pgbench service SQL tps | service ÷ floor | ' +
        'service ÷ pgbench one | floor ÷ pgbench one | service ÷ pgbench service SQL |',
      '|---|---|---|---|---|---|---|---|---|',
      ...['hot', 'spread'].map((kind) => {
        const service = one(kind).requestsPerSecond;
        const floorRate = floor[kind].requestsPerSecond;
        const oneTps = pgbench.oneStatement[kind].tps;
        const serviceSqlTps = pgbench.serviceSql[kind].tps;
        return tableRow(
          kind === 'hot' ? 'hot SKU' : `spread over ${SPREAD_COUNT} SKUs`,
          Math.round(service),
          Math.round(floorRate),
          Math.round(oneTps),
          Math.round(serviceSqlTps),
          ratio(service, floorRate),
          ratio(service, oneTps),
          ratio(floorRate, oneTps),
          ratio(service, serviceSqlTps),
        );
      }),
      tableRow(
        `hot SKU, ${HOT8_BUCKETS} stock buckets (hot8)`,
        Math.round(one('hot8').requestsPerSecond),
        '-',
        `${Math.round(pgbench.oneStatement.hot.tps)} (one row)`,
        '-',
        '-',
        ratio(one('hot8').requestsPerSecond, pgbench.oneStatement.hot.tps),
        '-',
        '-',
      ),
      `hot8 vs hot (the same reserves of one SKU, its stock over ${HOT8_BUCKETS} rows instead of one): ` +
        `${ratio(one('hot8').requestsPerSecond, one('hot').requestsPerSecond)}x; vs pgbench's one-row hot rate: ` +
        `${ratio(one('hot8').requestsPerSecond, pgbench.oneStatement.hot.tps)}x.`,
      `Floor responses: ${['hot', 'spread']
        .map((kind) => `${kind} ${statusText(floor[kind].statuses)} (p99 ${floor[kind].latency.p99} ms)`)
        .join('; ')}.`,
      '',
      ...targetRows({ one, floor, pgbench, peakRssMb, tableRow }),
      '',
      `Peak API RSS: ${peakRssMb} MB. Two instances vs one: hot ${ratio(two('hot').requestsPerSecond, one('hot').requestsPerSecond)}x, ` +
        `spread ${ratio(two('spread').requestsPerSecond, one('spread').requestsPerSecond)}x.`,
    );
  }
  if (layers) {
    lines.push(
      '',
      `Layers (${layers.rounds} interleaved rounds, one API process per variant and round; medians, ratio to the set's baseline):`,
      '',
      '| load | variant | median req/s | ratio | median p99 ms | req/s per round | responses |',
      '|---|---|---|---|---|---|---|',
      ...layers.sets.flatMap((set) =>
        set.variants.map((variant) =>
          tableRow(
            set.scenario,
            variant.name,
            Math.round(variant.medianRequestsPerSecond),
            variant.ratio.toFixed(2),
            variant.medianP99,
            variant.runs.map((run) => Math.round(run.requestsPerSecond)).join(', '),
            statusText(variant.statuses),
          ),
        ),
      ),
    );
  }
  if (pglite) {
    lines.push(
      '',
      `PGlite (embedded default, new data folder): RSS ${pglite.startupRssMb} MB after startup, peak ${pglite.peakRssMb} MB; ` +
        pglite.results
          .map((r) => `${r.scenario} ${Math.round(r.requestsPerSecond)} req/s (p99 ${r.latency.p99} ms; ${statusText(r.statuses)})`)
          .join(', ') +
        '.',
    );
  }
  lines.push(
    `Invariants after the load (reconcile of every SKU, no 5xx): ${problems.length === 0 ? 'all hold' : `BROKEN: ${problems.join('; ')}`}.`,
  );
  const layersJson = layers && {
    rounds: layers.rounds,
    sets: layers.sets.map((set) => ({
      scenario: set.scenario,
      // The created key is a credential: not written to the results.
      variants: set.variants.map((variant) => ({ ...variant, authorization: variant.authorization && 'Bearer <created key>' })),
    })),
  };
  return {
    markdown: lines.join('\n'),
    json: {
      machine,
      loadAverageAtStart,
      phases,
      settings: { ...settings, rateLimits: 'off' },
      results,
      floor,
      pgbench,
      peakRssMb,
      layers: layersJson,
      pglite,
      problems,
    },
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/** Issue 15's targets, each with its measured value from this run and whether it is met. */
function targetRows({ one, floor, pgbench, peakRssMb, tableRow }) {
  const rate = (scenario) => one(scenario).requestsPerSecond;
  const targets = [
    ['hot reserve ÷ pgbench one statement (hot)', rate('hot') / pgbench.oneStatement.hot.tps, '>=', 0.9],
    ['spread reserve ÷ pgbench one statement (spread)', rate('spread') / pgbench.oneStatement.spread.tps, '>=', 0.42],
    ['service ÷ floor, hot', rate('hot') / floor.hot.requestsPerSecond, '>=', 0.85],
    ['service ÷ floor, spread', rate('spread') / floor.spread.requestsPerSecond, '>=', 0.85],
    [`hot8 ÷ pgbench one statement (one-row hot)`, rate('hot8') / pgbench.oneStatement.hot.tps, '>=', 1.4],
    ['5-line cart ÷ single-SKU spread reserve', rate('cart5') / rate('spread'), '>=', 0.5],
    ['GET /inventory/:sku p99 ms (64 connections)', one('reads').latency.p99, '<', 10],
    ['peak API RSS MB (PostgreSQL)', peakRssMb, '<', 250],
  ];
  return [
    'Targets (issue 15), from this run:',
    '',
    '| target | measured | goal | met |',
    '|---|---|---|---|',
    ...targets.map(([name, value, op, goal]) =>
      tableRow(
        name,
        Number.isInteger(value) ? value : value.toFixed(2),
        `${op} ${goal}`,
        (op === '<' ? value < goal : value >= goal) ? 'yes' : 'no',
      ),
    ),
  ];
}
