#!/usr/bin/env bash
# The Next.js example (examples/nextjs) as a user runs it, after `pnpm build`:
# `next build` against the built @retoken/react (a missing 'use client' fails it), then
# the mock auth server over HTTP and `next start`, each on a free port: /orders must
# render the login form on the server, and /auth/login and /api/orders must reach the
# mock server through Next's rewrites.
set -euo pipefail
cd "$(dirname "$0")/.."
example=examples/nextjs

export NEXT_TELEMETRY_DISABLED=1 CI=true

free_port() {
  node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"
}
api_port=$(free_port)
web_port=$(free_port)
while [[ "$web_port" == "$api_port" ]]; do web_port=$(free_port); done
api="http://127.0.0.1:$api_port"
web="http://127.0.0.1:$web_port"
logs=$(mktemp -d)

# Job control gives each server a process group of its own: `next start` forks a
# next-server child, and the trap stops the whole group.
set -m
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$logs"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for dist in packages/core/dist/production.js packages/core/dist/browser.production.js packages/react/dist/index.production.js; do
  [[ -f "$dist" ]] || { echo "check-nextjs: $dist is missing: run pnpm build first" >&2; exit 1; }
done

# Rewrites are written into the build, so the API's address is chosen before it.
echo "check-nextjs: next build (API at $api)"
start=$SECONDS
(cd "$example" && RETOKEN_API="$api" node_modules/.bin/next build)
echo "check-nextjs: built in $((SECONDS - start)) s"

echo "check-nextjs: mock server on $api, next start on $web"
node --import tsx packages/mock-server/src/cli.ts --port "$api_port" \
  >"$logs/api.log" 2>&1 &
pids+=($!)
(cd "$example" && exec node_modules/.bin/next start -H 127.0.0.1 -p "$web_port") \
  >"$logs/web.log" 2>&1 &
pids+=($!)

API="$api" WEB="$web" node --input-type=module - <<'JS' || {
const { API, WEB } = process.env
const fail = (message) => {
  console.error(`check-nextjs: ${message}`)
  process.exit(1)
}

// both servers answer within 30 s, or the check fails
const deadline = Date.now() + 30_000
for (const url of [`${API}/public/echo`, WEB]) {
  for (;;) {
    try {
      await fetch(url)
      break
    } catch {
      if (Date.now() > deadline) fail(`${url} did not answer within 30 s`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

const page = await fetch(`${WEB}/orders`)
const html = await page.text()
if (page.status !== 200) fail(`GET /orders: ${page.status}`)
for (const part of ['<form aria-label="Log in"', 'name="email"', 'name="password"', 'Log in</button>']) {
  if (!html.includes(part)) fail(`GET /orders: the HTML has no ${part}`)
}
console.log('check-nextjs: GET /orders renders the login form')

const login = (password) =>
  fetch(`${WEB}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@retoken.dev', password }),
  })
const wrong = await login('not-the-password')
if (wrong.status !== 401) fail(`POST /auth/login with a wrong password: ${wrong.status}, not 401`)
const response = await login('password123')
const tokens = await response.json().catch(() => ({}))
if (response.status !== 200 || typeof tokens.accessToken !== 'string' || tokens.accessToken.split('.').length !== 3)
  fail(`POST /auth/login through the rewrite: ${response.status} ${JSON.stringify(tokens)}`)
console.log('check-nextjs: POST /auth/login through the rewrite returns an accessToken')

const orders = await fetch(`${WEB}/api/orders`, {
  headers: { authorization: `Bearer ${tokens.accessToken}` },
})
const body = await orders.json().catch(() => ({}))
if (orders.status !== 200 || !Array.isArray(body.orders))
  fail(`GET /api/orders through the rewrite: ${orders.status} ${JSON.stringify(body)}`)
console.log(`check-nextjs: GET /api/orders through the rewrite returns ${body.orders.length} orders`)
JS
  echo "--- mock server log" >&2
  cat "$logs/api.log" >&2
  echo "--- next start log" >&2
  cat "$logs/web.log" >&2
  exit 1
}
echo "check-nextjs: ok"
