#!/usr/bin/env bash
# The CLI and a fast subset of the tests again under Node 22 and Node 24: the main run uses the
# machine's Node (20), and engines ">=20.19" promises every later line too. Run once dist/ is
# built. Each Node comes from the `node` npm package, the one registry CI can reach.
#
# Each failed step prints one line naming the Node version and the step; every step still runs
# (one CI run shows all that broke) and the script exits 1 at the end if any failed.
# NODE_MAJORS="22" limits the run to the lines named.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

majors=(${NODE_MAJORS:-22 24})

# A fast subset (about a minute on Node 20, 2 cores), chosen for what a Node release can change:
#   vitest-entry      the vitest entry, with an inner vitest of its own
#   cli, cli-help     the CLI in process: exit codes, flags, json/junit/markdown reporters, matrix
#   report-gate       every reporter on every status and skip reason
#   ci-reporters      the github reporter and several reports from one run
#   load-store*       store modules as CommonJS, ESM and TypeScript, and their failures
#   exports           the package's public surface
#   interrupts        the CLI as a child process (process.execPath) under real signals, redis-server
#                     spawned by name, the process tree it leaves
# interrupts uses the Redis on 127.0.0.1:6379, as in `npm test`; its PostgreSQL and MySQL cases
# skip, as every step runs without their URLs (below): the main run covers those backends.
tests=(
  test/vitest-entry.test.ts
  test/cli.test.ts
  test/cli-help.test.ts
  test/report-gate.test.ts
  test/ci-reporters.test.ts
  test/load-store.test.ts
  test/load-store-peer.test.ts
  test/exports.test.ts
  test/interrupts.test.ts
)

# The binaries are cached across runs rather than fetched into a mktemp dir each time: ~120 MB
# and 5 s or more per line. An entry older than a week is fetched again (new patch releases);
# delete the directory to fetch at once.
cache="${XDG_CACHE_HOME:-$HOME/.cache}/store-conformance-ci"
mkdir -p "$cache"

# Everything else this script makes, the tests' temp files and the tsx cache included (TMPDIR),
# is under one directory removed on exit: /tmp keeps nothing of a run.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp"

[ -f dist/src/cli/main.js ] || { echo "ci-node-versions: dist/ is not built (npm run build)" >&2; exit 1; }

# Loaded into every Node process of a step (NODE_OPTIONS is inherited): records which Node ran
# it, so a worker or child that fell back to the machine's Node is caught, not assumed away.
cat >"$work/probe.cjs" <<'JS'
const log = process.env.SC_CI_NODE_LOG
if (log) require('node:fs').appendFileSync(log, `${process.version} ${process.argv.slice(1, 2).join(' ')}\n`)
JS

failures=()
fail() {
  echo "ci-node-versions: FAILED on Node $1: $2" >&2
  failures+=("Node $1: $2")
}

now() { echo "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# Prints the path of the binary for Node <major>, fetching it into the cache if needed.
install_node() {
  local major="$1" dir="$cache/node-$1"
  local bin="$dir/node_modules/node/bin/node" cached=""
  if [[ "$("$bin" --version 2>/dev/null)" == "v$major."* ]]; then cached=1; fi
  if [ -n "$cached" ] && [ -z "$(find "$dir/.installed" -mtime +7 2>/dev/null)" ]; then
    echo "$bin"
    return
  fi
  # Fetched next to the entry and moved into place: an interrupted fetch leaves no half entry,
  # only a staging directory, removed by a later run once it is an hour old.
  find "$cache" -maxdepth 1 -name ".node-*" -mmin +60 -exec rm -rf {} +
  local staging
  staging="$(mktemp -d "$cache/.node-$major.XXXXXX")"
  # The package's preinstall fetches the platform binary: allowed by name, as npm 11 blocks
  # dependencies' install scripts unless the project's allowScripts lists them.
  echo '{ "private": true, "allowScripts": { "node": true } }' >"$staging/package.json"
  if npm install --prefix "$staging" --no-save --no-package-lock --no-audit --no-fund \
    "node@$major" >"$work/npm-node-$major.log" 2>&1 &&
    [[ "$("$staging/node_modules/node/bin/node" --version 2>/dev/null)" == "v$major."* ]]; then
    touch "$staging/.installed"
    rm -rf "$dir"
    mv -T "$staging" "$dir"
    echo "$bin"
    return
  fi
  rm -rf "$staging"
  cat "$work/npm-node-$major.log" >&2
  # A registry hiccup does not fail the run while last week's binary is still there.
  if [ -n "$cached" ]; then
    echo "ci-node-versions: could not refresh node@$major; using the cached $("$bin" --version)" >&2
    echo "$bin"
    return
  fi
  echo "ci-node-versions: no working Node $major binary from node@$major (npm's output above)" >&2
  return 1
}

# step <label> <command...>: runs the command with the chosen Node first on PATH, then checks that
# every Node process it started was that version.
step() {
  local name="$1"
  shift
  local log="$work/nodes-$major-$name.log" started
  started="$(now)"
  echo
  echo "── Node $version: $name"
  : >"$log"
  local code=0
  env -u DATABASE_URL -u PG_URL -u MYSQL_URL PATH="$node_dir:$PATH" TMPDIR="$work/tmp" SC_CI_NODE_LOG="$log" \
    NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--require \"$work/probe.cjs\"" "$@" || code=$?
  local count others
  count="$(wc -l <"$log")"
  # One line per other version and program, e.g. "2× v20.20.2 /path/to/vitest.mjs".
  others="$(grep -v "^$version " "$log" | sort | uniq -c | awk '{ $1 = $1 "×"; print }' |
    paste -sd ';' - | sed 's/;/; /g' || true)"
  local passed=1
  if [ "$code" -ne 0 ]; then
    fail "$version" "step $name exited with code $code ($(since "$started"))"
    passed=""
  fi
  if [ "$count" -eq 0 ] || [ -n "$others" ]; then
    fail "$version" "step $name ran other Node versions than $version: ${others:-no Node process was recorded}"
    passed=""
  fi
  if [ -n "$passed" ]; then
    echo "── Node $version: $name passed in $(since "$started"), $count Node processes, all $version"
  fi
}

total_started="$(now)"
timings=()
for major in "${majors[@]}"; do
  started="$(now)"
  echo
  echo "══ Node $major"
  if ! node_bin="$(install_node "$major")"; then
    fail "$major" "could not install node@$major from npm"
    continue
  fi
  node_dir="$(dirname "$node_bin")"
  version="$("$node_bin" --version)"
  # `node` by name (a test's spawn, a #! line) must be this binary, not the machine's.
  on_path="$(PATH="$node_dir:$PATH" command -v node)"
  echo "Node $version at $node_bin (node on PATH: $on_path), ready in $(since "$started")"

  step cli-memory "$node_bin" bin/store-conformance.js memory
  # REDIS_URL as CI sets it, or none: then the CLI starts a redis-server of its own.
  step cli-redis "$node_bin" bin/store-conformance.js redis --require redis
  # A user's TypeScript store module through the built CLI (jiti): the tests load src/ and their
  # fixtures through tsx and vite instead, and newer Nodes can strip types on their own.
  step cli-typescript-module "$node_bin" bin/store-conformance.js "$repo/test/fixtures/modules/typed-store.ts" \
    --only core,serialization
  step tests "$node_bin" node_modules/vitest/vitest.mjs run "${tests[@]}"

  timings+=("Node $version: $(since "$started")")
done

echo
echo "══ ci-node-versions: $(since "$total_started") in all"
for line in "${timings[@]}"; do echo "   $line"; done
if [ "${#failures[@]}" -gt 0 ]; then
  echo "ci-node-versions: ${#failures[@]} step(s) failed:" >&2
  for line in "${failures[@]}"; do echo "  $line" >&2; done
  exit 1
fi
echo "ci-node-versions: all steps passed on Node ${majors[*]}"
