#!/usr/bin/env bash
# Packs the tarball, installs it into empty projects and runs the published CLI there: on the
# built-in MemoryStore, on a user's TypeScript store module, the bench, and the install matrix
# (no store packages, old majors of them, the supported ones). Needs the npm registry.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "check-pack: $*" >&2; exit 1; }

# Runs the installed CLI, expecting exit code $1; its stderr goes to $work/stderr.txt.
expect_exit() {
  local want="$1"; shift
  local code=0
  npx --no-install store-conformance "$@" 2> "$work/stderr.txt" > "$work/stdout.txt" || code=$?
  if [ "$code" -ne "$want" ]; then
    cat "$work/stdout.txt" "$work/stderr.txt"
    fail "store-conformance $* exited $code, not $want"
  fi
}

# An empty project in $work/$1, made the current directory.
project() {
  mkdir -p "$work/$1" && cd "$work/$1"
  npm init -y >/dev/null
}

# npm install, failing on any warning: a user's install must be silent about us.
install_quietly() {
  if ! npm install --no-audit --no-fund "$@" > "$work/install.txt" 2>&1; then
    cat "$work/install.txt"
    fail "npm install $* failed"
  fi
  if grep -i "warn" "$work/install.txt"; then fail "npm install $* printed warnings"; fi
}

cd "$repo"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball"
# "license": "MIT" in package.json promises the text: it ships with the package.
contents="$(tar -tzf "$tarball")"
grep -qx "package/LICENSE" <<<"$contents" || fail "the tarball has no LICENSE"

# 1. A project with none of the store packages: the tarball installs without a warning.
project none
install_quietly --save-dev "$tarball"
npx --no-install store-conformance --version
expect_exit 0 memory --reporter json --out memory.json
cat > my-store.ts <<'TS'
import type session from 'express-session'

// A user's store module in TypeScript: loaded without a build step.
export default function createStore(expressSession: typeof session): session.Store {
  return new expressSession.MemoryStore()
}
TS
expect_exit 0 ./my-store.ts --only core,ttl,serialization
# The bench from the installed package: all three reports, the HTML with Chart.js inlined, and the
# HTTP bench, whose app processes are forked from the installed dist/.
expect_exit 0 bench memory --window 2 --cell-time 30 --payloads 256B --concurrency 1 --http --quick --out-dir bench
for file in bench.json bench.md bench.html; do
  [ -s "bench/$file" ] || fail "bench/$file was not written"
done
grep -q "Chart.js" bench/bench.html || fail "bench.html has no Chart.js inlined"
grep -q "## Whole requests over HTTP" bench/bench.md || fail "bench.md has no HTTP bench"
# A built-in store whose packages are not installed: one line naming all of them, one command, exit 2.
expect_exit 2 redis
grep -qF "the redis adapter needs redis and connect-redis: npm install --save-dev redis@5 connect-redis@9" \
  "$work/stderr.txt" || { cat "$work/stderr.txt"; fail "no single install hint for the redis adapter"; }
[ "$(wc -l < "$work/stderr.txt")" -eq 1 ] || { cat "$work/stderr.txt"; fail "more than one line for missing packages"; }
node --input-type=module -e "
  const api = await import('store-conformance')
  if (typeof api.runConformance !== 'function') throw new Error('runConformance is not exported')
  const entry = import.meta.resolve('store-conformance/vitest')
  if (!entry.endsWith('/dist/src/vitest.js')) throw new Error('store-conformance/vitest resolves to ' + entry)
  console.log('exports ok:', Object.keys(api).length, 'runtime exports; vitest entry at', entry)
"
echo "install matrix: no store packages: ok"

# 2. A store author's project on older majors, both orders: the install never conflicts, and the
#    adapter says which versions it is written for instead of failing somewhere inside.
project old-first
install_quietly connect-redis@7 redis@4 mongodb@5
install_quietly --save-dev "$tarball"
expect_exit 2 redis
grep -qF "the redis adapter is written for redis ^5 and connect-redis ^9, and this project has redis 4." \
  "$work/stderr.txt" || { cat "$work/stderr.txt"; fail "no version hint for old majors"; }
expect_exit 0 memory --only core
project tool-first
install_quietly --save-dev "$tarball"
install_quietly connect-redis@7 redis@4 mongodb@5
expect_exit 2 redis
echo "install matrix: connect-redis 7, redis 4, mongodb 5 (before and after the tool): ok"

# 3. The supported majors: the built-in store runs on a real server (REDIS_URL, or redis-server here).
project current
install_quietly --save-dev "$tarball" connect-redis@9 redis@5
expect_exit 0 redis --only core,ttl --require redis
echo "install matrix: connect-redis 9, redis 5: ok"

# 4. The README's GitHub Actions recipe, its very command, on a store module of a user's own backed
#    by the same Redis, as GitHub Actions would run it (annotations, job summary, JUnit).
recipe="$(sed -n '/<!-- ci-recipe:start -->/,/<!-- ci-recipe:end -->/p' "$repo/README.md" |
  sed -n 's/^ *- run: \(npx store-conformance .*\)$/\1/p')"
[ -n "$recipe" ] || fail "README.md has no store-conformance command in its ci-recipe block"
cat > my-store.js <<'JS'
import { RedisStore } from 'connect-redis'
import { createClient } from 'redis'

// A store author's module: their store on the CI job's Redis, under a prefix of the run's own.
const clients = new Map()
export default {
  async create() {
    const client = createClient({ url: process.env.REDIS_URL })
    client.on('error', () => {})
    await client.connect()
    const store = new RedisStore({ client, prefix: `my-app-ci-${process.pid}:` })
    clients.set(store, client)
    return store
  },
  close: (store) => clients.get(store)?.close(),
  capabilities: { ttlGranularityMs: 1000 },
}
JS
summary="$work/job-summary.md"
code=0
env GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$summary" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}" \
  bash -c "$recipe" > recipe-stdout.txt 2> recipe-stderr.txt || code=$?
[ "$code" -eq 0 ] || { cat recipe-stdout.txt recipe-stderr.txt; fail "the README's CI command exited $code: $recipe"; }
grep -q "^PASS" recipe-stdout.txt || fail "no terminal report in the recipe's log"
grep -q "^::warning title=" recipe-stdout.txt || fail "no annotations in the recipe's log"
grep -q "^## store-conformance: ./my-store.js" "$summary" || fail "no job summary written"
grep -q "<testsuites " reports/conformance.xml || fail "no JUnit report at reports/conformance.xml"
echo "the README's GitHub Actions command: ok ($(grep -c '^::' recipe-stdout.txt) annotations)"
echo "pack check passed"
