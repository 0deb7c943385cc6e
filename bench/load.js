// Load generator, run as its own process so it does not share an event loop with the API.
// Usage: node bench/load.js '<json>' -> prints one JSON result line.
'use strict';
const autocannon = require('autocannon');
const { randomUUID } = require('node:crypto');

const spec = JSON.parse(process.argv[2]);
const json = { 'content-type': 'application/json' };
// The layers phase of run.js sends an API key on every request of a variant.
const auth = spec.authorization ? { authorization: spec.authorization } : {};

function reserve(pickSku, quantity = 1) {
  return {
    method: 'POST',
    path: '/api/v1/inventory/reserve',
    setupRequest: (request) => ({
      ...request,
      headers: { ...json, ...auth, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ sku: pickSku(), userId: 'bench-user', quantity }),
    }),
    onResponse: (status, body, context) => {
      if (status === 201) context.reservationId = JSON.parse(body).data.reservationId;
      else context.reservationId = undefined;
    },
  };
}

/** A cart of `lines` distinct spread SKUs, one unit each, held all-or-nothing by POST /reservations. */
function holdCart(lines) {
  const pickCart = () => {
    const skus = new Set();
    while (skus.size < lines) skus.add(`${spec.spreadPrefix}${Math.floor(Math.random() * spec.spreadCount)}`);
    return [...skus].map((sku) => ({ sku, quantity: 1 }));
  };
  return {
    method: 'POST',
    path: '/api/v1/reservations',
    setupRequest: (request) => ({
      ...request,
      headers: { ...json, ...auth, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ userId: 'bench-user', items: pickCart() }),
    }),
  };
}

const scenarios = {
  hot: () => [reserve(() => spec.hotSku)],
  hot8: () => [reserve(() => spec.hot8Sku)],
  cart5: () => [holdCart(5)],
  spread: () => [reserve(() => `${spec.spreadPrefix}${Math.floor(Math.random() * spec.spreadCount)}`)],
  checkout: () => [
    reserve(() => `${spec.spreadPrefix}${Math.floor(Math.random() * spec.spreadCount)}`),
    {
      method: 'POST',
      path: '/api/v1/checkout/confirm',
      // Confirm two of three holds, cancel the third; restart the cycle when the reserve failed.
      setupRequest: (request, context) => {
        if (!context.reservationId) return null;
        context.cycle = (context.cycle || 0) + 1;
        const path = context.cycle % 3 === 0 ? '/api/v1/checkout/cancel' : '/api/v1/checkout/confirm';
        return { ...request, path, headers: { ...json, ...auth }, body: JSON.stringify({ reservationId: context.reservationId }) };
      },
    },
  ],
  reads: () => [{ method: 'GET', path: `/api/v1/inventory/${spec.readSku}`, headers: auth }],
  soldout: () => [reserve(() => spec.soldOutSku)],
};

async function run(durationSeconds) {
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: durationSeconds,
    requests: scenarios[spec.scenario](),
  });
}

(async () => {
  if (spec.warmupSeconds > 0) await run(spec.warmupSeconds);
  const result = await run(spec.durationSeconds);
  const statuses = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats || {})) statuses[code] = count;
  process.stdout.write(
    JSON.stringify({
      requestsPerSecond: result.requests.average,
      latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
      total: result.requests.total,
    }) + '\n',
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
