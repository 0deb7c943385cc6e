#!/usr/bin/env bash
# Starts the compiled service (what `npm start` runs) on in-memory PGlite, checks it answers, and that
# SIGTERM ends it with exit 0. Catches what the ts-node based tests cannot: path aliases in the build,
# the copied migrations, and the ES module that Node itself must load.
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
log=$(mktemp)
admin_key="smoke-$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")"
PORT=$port HOST=127.0.0.1 PGLITE_DATA_DIR=memory:// SHUTDOWN_DRAIN_DELAY_MS=0 ADMIN_API_KEY="$admin_key" \
  node dist/apps/api/apps/api/src/main.js >"$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "smoke: the built service did not become ready"; cat "$log"; exit 1; }
# Bodies are read whole first: with pipefail, `curl | grep -q` fails whenever grep exits before curl has written everything.
docs=$(curl -sf "http://127.0.0.1:$port/docs") || { echo "smoke: /docs did not answer"; exit 1; }
grep -qi swagger <<<"$docs" || { echo "smoke: /docs does not serve Swagger UI"; exit 1; }
page=$(curl -sf "http://127.0.0.1:$port/") || { echo "smoke: / did not answer"; exit 1; }
grep -q "Inventory Reservation" <<<"$page" || { echo "smoke: / does not serve the web UI"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/admin/inventory" \
  -H 'Content-Type: application/json' -d '{"sku":"SMOKE-0","productName":"Smoke","totalQuantity":1}')
[ "$status" = 401 ] || { echo "smoke: create without a key answered $status, not 401"; cat "$log"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/admin/inventory" \
  -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' -d '{"sku":"SMOKE-1","productName":"Smoke","totalQuantity":1}')
[ "$status" = 201 ] || { echo "smoke: create answered $status"; cat "$log"; exit 1; }
kill -TERM $pid
wait $pid && code=0 || code=$?
[ "$code" = 0 ] || { echo "smoke: exit code $code after SIGTERM"; cat "$log"; exit 1; }
! grep -qF "$admin_key" "$log" || { echo "smoke: the log contains ADMIN_API_KEY"; exit 1; }
echo "smoke: built service started, answered and shut down cleanly"
