/**
 * Stress mode (`npm run test:stress`): the tests whose verdicts come from timing, run while busy
 * loops keep every core taken, for several rounds. A verdict must not depend on CPU load, and a
 * quiet machine hides the cases where it does (a granularity 'assumed' instead of 'detected', an
 * expiry check passing because a wait overshot).
 *
 * STRESS_ROUNDS (default 3) rounds; STRESS_BUSY busy loops (default one per core, at least 2; 0 is
 * a control run without load). Exits 1 if any round failed. The busy loops are killed on every way
 * out: normal end, a failed or crashed vitest, an exception here, SIGINT/SIGTERM/SIGHUP; and they
 * exit by themselves if this process dies without a word (SIGKILL).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, constants, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The test files that assert verdicts derived from timing (TTL waits, granularity, call timeouts). */
const FILES = [
  'test/correct-stores.test.ts', // no false failure; second-rounding stores' granularity 'detected'
  'test/broken-stores.test.ts', // each defect caught by its check only, expiry defects included
  'test/adapters.integration.test.ts', // each real store's known outcome (file's ttl.past-expiry-not-returned)
  'test/vitest-entry.test.ts', // the reference store and MemoryStore pass every ttl check
  'test/backend-faults.test.ts', // a redis fault during the ttl checks is blamed on redis, not the store
  'test/adapter-peers.integration.test.ts', // backend expiries of real stores (memcached's whole seconds)
  'test/verdict-causes.test.ts', // late expiry vs never, told apart by waiting
  'test/fault-proxy.test.ts', // a stalled proxy holds bytes; a healed one delivers them
  'test/local-servers.test.ts', // SIGSTOP/SIGKILL/restart of real servers, waited for, not slept on
  'test/bench-open-loop.test.ts', // a 1 s stall in the open loop's p99 and not in a closed loop's
  'test/bench-http.test.ts', // app processes gone after the HTTP bench, even when their parent is killed
]

/**
 * One busy loop, run with `node -e`. It spins in 20 ms slices so its event loop still turns and
 * sees stdin end: stdin is a pipe from this process, which the kernel closes however we die. The
 * parent-pid check catches the same case should stdin be lost some other way.
 */
const BUSY_LOOP = `
const parent = process.ppid
process.stdin.on('end', () => process.exit(0)).resume()
const spin = () => {
  if (process.ppid !== parent) process.exit(0)
  const until = Date.now() + 20
  while (Date.now() < until);
  setImmediate(spin)
}
spin()
`

/** A whole number from the environment, or the default; anything else is refused before starting. */
function envCount(name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    console.error(`${name} must be a whole number ≥ ${min}, got "${raw}"`)
    process.exit(2)
  }
  return Number(raw)
}

const rounds = envCount('STRESS_ROUNDS', 3, 1)
const busyCount = envCount('STRESS_BUSY', Math.max(2, availableParallelism()), 0)
const root = fileURLToPath(new URL('..', import.meta.url))
const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs')
// vitest takes file arguments as filters: a renamed file would silently drop out of the rounds.
const missing = FILES.filter((file) => !existsSync(path.join(root, file)))
if (missing.length > 0) {
  console.error(`stress: no such test file: ${missing.join(', ')}`)
  process.exit(2)
}
const outDir = mkdtempSync(path.join(tmpdir(), 'sc-stress-'))

const busy: ChildProcess[] = []
let vitest: ChildProcess | undefined

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

/** Synchronous, so it also runs from the 'exit' event (after an uncaught exception, process.exit). */
function cleanUp(): void {
  for (const child of busy) if (alive(child)) child.kill('SIGKILL')
  rmSync(outDir, { recursive: true, force: true })
}
process.on('exit', cleanUp)

// Stop the loops at once, let vitest wind down (it stops its workers and servers), then exit as
// the signal would have. A terminal's Ctrl-C reaches vitest too; a `kill` reaches only us.
// A second signal, or vitest not stopping within 10 s, kills it outright.
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    const code = 128 + constants.signals[signal]
    if (interrupted || !vitest || !alive(vitest)) {
      vitest?.kill('SIGKILL')
      process.exit(code)
    }
    interrupted = true
    console.error(`\nstress: ${signal}, stopping the busy loops and vitest`)
    cleanUp()
    vitest.once('exit', () => process.exit(code))
    vitest.kill('SIGTERM')
    setTimeout(() => vitest?.kill('SIGKILL'), 10_000).unref()
  })
}

interface Round {
  passed: boolean
  seconds: number
  failures: string[]
}

/** One vitest run of FILES; its failures as scripts/stress-reporter.ts wrote them. */
async function runRound(round: number): Promise<Round> {
  const failuresFile = path.join(outDir, `round-${round}.json`)
  const started = performance.now()
  // --reporter replaces the config's reporters, so name the one vitest.config.ts would use.
  const reporter = process.env.CI ? 'verbose' : 'default'
  const args = ['run', ...FILES, `--reporter=${reporter}`, '--reporter=./scripts/stress-reporter.ts']
  const env = { ...process.env, STRESS_FAILURES_FILE: failuresFile }
  vitest = spawn(process.execPath, [vitestBin, ...args], { cwd: root, env, stdio: 'inherit' })
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    vitest?.once('error', (error) => {
      console.error(`stress: vitest did not start: ${error.message}`)
      resolve([null, null])
    })
    vitest?.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
  })
  const seconds = (performance.now() - started) / 1000
  let failures: string[]
  try {
    failures = JSON.parse(readFileSync(failuresFile, 'utf8')) as string[]
  } catch {
    failures = [`vitest left no results (exit code ${code}, signal ${signal})`]
  }
  if (code !== 0 && failures.length === 0) failures.push(`vitest exited with code ${code}, signal ${signal}`)
  // A loop that died took its share of the load with it: the round did not test what it says.
  const lost = busy.filter((child) => !alive(child)).length
  if (lost > 0) failures.push(`${lost} busy loop(s) exited during the round: it ran without full load`)
  return { passed: failures.length === 0, seconds, failures }
}

for (let i = 0; i < busyCount; i++)
  busy.push(spawn(process.execPath, ['-e', BUSY_LOOP], { stdio: ['pipe', 'ignore', 'inherit'] }))
const cores = availableParallelism()
console.log(`stress: ${rounds} round(s) of ${FILES.length} test files, ${busyCount} busy loop(s) on ${cores} core(s)`)
console.log(`stress: busy loop pids ${busy.map((child) => child.pid).join(' ') || 'none'}`)

const results: Round[] = []
const started = performance.now()
for (let round = 1; round <= rounds; round++) {
  console.log(`\nstress: round ${round}/${rounds}`)
  const result = await runRound(round)
  results.push(result)
  const verdict = result.passed ? 'PASS' : `FAIL (${result.failures.length})`
  console.log(`stress: round ${round}/${rounds} ${verdict} in ${result.seconds.toFixed(1)} s`)
}
cleanUp()

console.log('\nstress: summary')
for (const [index, result] of results.entries()) {
  const verdict = result.passed ? 'PASS' : `FAIL (${result.failures.length})`
  console.log(`  round ${index + 1}: ${verdict}, ${result.seconds.toFixed(1)} s`)
  for (const failure of result.failures) console.log(`    ✗ ${failure.replaceAll('\n', '\n      ')}`)
}
const failed = results.filter((result) => !result.passed).length
const total = ((performance.now() - started) / 1000).toFixed(1)
const load = `${busyCount} busy loop(s) on ${cores} core(s)`
console.log(`stress: ${rounds - failed}/${rounds} round(s) passed under ${load}, ${total} s`)
process.exitCode = failed > 0 ? 1 : 0
