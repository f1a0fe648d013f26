#!/usr/bin/env bash
# Packs the tarball, installs it into an empty directory and runs the published CLI there:
# on the built-in MemoryStore, on a user's TypeScript store module, and the bench.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$repo"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball"
# "license": "MIT" in package.json promises the text: it ships with the package.
contents="$(tar -tzf "$work/$tarball")"
grep -qx "package/LICENSE" <<<"$contents" || { echo "the tarball has no LICENSE"; exit 1; }

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "./$tarball"

npx --no-install store-conformance --version
npx --no-install store-conformance memory --reporter json --out memory.json
cat > my-store.ts <<'TS'
import type session from 'express-session'

// A user's store module in TypeScript: loaded without a build step.
export default function createStore(expressSession: typeof session): session.Store {
  return new expressSession.MemoryStore()
}
TS
npx --no-install store-conformance ./my-store.ts --only core,ttl,serialization
# The bench from the installed package: all three reports, the HTML with Chart.js inlined.
npx --no-install store-conformance bench memory --runs 1 --time 5 --payloads 256B --concurrency 1 --out bench >/dev/null
for file in bench.json bench.md bench.html; do
  [ -s "bench/$file" ] || { echo "bench/$file was not written"; exit 1; }
done
grep -q "Chart.js" bench/bench.html || { echo "bench.html has no Chart.js inlined"; exit 1; }
# A built-in store whose package is not installed: one clear line, exit 2.
set +e
npx --no-install store-conformance redis 2> missing.txt
code=$?
set -e
if ! grep -q "the redis adapter needs" missing.txt || [ "$code" -ne 2 ]; then
  cat missing.txt
  echo "expected exit 2 and an install hint, got $code"
  exit 1
fi
node --input-type=module -e "
  const api = await import('store-conformance')
  if (typeof api.runConformance !== 'function') throw new Error('runConformance is not exported')
  const entry = import.meta.resolve('store-conformance/vitest')
  if (!entry.endsWith('/dist/src/vitest.js')) throw new Error('store-conformance/vitest resolves to ' + entry)
  console.log('exports ok:', Object.keys(api).length, 'runtime exports; vitest entry at', entry)
"
echo "pack check passed"
