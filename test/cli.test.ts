import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, type TestContext, test } from 'vitest'
import { checks } from '../src/suites/index.js'
import { cliIn } from './support/cli-in-process.js'

const fixtures = fileURLToPath(new URL('./fixtures/modules/', import.meta.url))

/** A temp directory removed when the test ends (the test's own hook: these tests run concurrently). */
async function tempDir(context: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sc-cli-'))
  context.onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** The CLI in this process, from the module fixtures. */
const cli = (...argv: string[]) => cliIn(fixtures, argv)

describe.concurrent('exit codes', () => {
  test('0 when nothing required failed', async () => {
    const { code, stdout } = await cli('memory')
    expect(code).toBe(0)
    // Only the fault checks are skipped: an in-process store has no backend to fail.
    const faultChecks = checks.filter((check) => check.faults).length
    expect(stdout).toMatch(new RegExp(`\\d+ passed, 0 failed, 0 warned, ${faultChecks} skipped`))
    expect(stdout).toMatch(/^PASS/m)
  })

  test('1 when a required check failed, with what it costs', async () => {
    const { code, stdout } = await cli('./fails-required.cjs')
    expect(code).toBe(1)
    expect(stdout).toContain('✗ get.miss-returns-nothing')
    expect(stdout).toMatch(/impact: +express-session passes any get\(\) error to next\(err\)/)
    expect(stdout).toMatch(/^FAIL: \d+ required check\(s\) failed/m)
  })

  test('a recommended failure passes the default gate and fails --strict', async () => {
    expect((await cli('./fails-recommended.cjs')).code).toBe(0)
    expect((await cli('./fails-recommended.cjs', '--strict')).code).toBe(1)
  })

  test.each([
    ['no store', [], /missing store/],
    ['a missing module', ['./nope.js'], /no store module at \.\/nope\.js/],
    ['a module with nothing usable', ['./nothing-usable.cjs'], /exports nothing usable/],
    ['a factory that throws', ['./factory-throws.cjs'], /the store factory threw: cannot connect to the backend/],
    ['an unknown flag', ['memory', '--bogus'], /Unknown option `--bogus`/],
    ['an unknown check id', ['memory', '--only', 'get.nope'], /unknown check id or group: get\.nope/],
    ['a bad timeout', ['memory', '--timeout', 'soon'], /--timeout must be a whole number of milliseconds, got "soon"/],
    [
      'a timeout too large for a timer',
      ['memory', '--timeout', '3000000000'],
      /--timeout must be a whole number of milliseconds from 100 to 600000/,
    ],
    [
      'a negative timeout, written apart from its flag',
      ['memory', '--timeout', '-5'],
      /--timeout must be a whole number of milliseconds, got "-5"/,
    ],
    [
      'a negative granularity',
      ['memory', '--ttl-granularity=-1'],
      /--ttl-granularity must be a whole number of milliseconds, got "-1"/,
    ],
    [
      'an --out directory that does not exist',
      ['memory', '--out', '/dev/null/dir/report.json'],
      /--out: cannot write to \/dev\/null\/dir/,
    ],
    [
      'a manifest that contradicts the store',
      ['./false-manifest.cjs'],
      /capabilities\.touch is true but the store has no touch\(\) method/,
    ],
    [
      'a --require name that is neither a store nor a backend',
      ['redis', '--require', 'postgress'],
      /unknown store or backend: postgress/,
    ],
    [
      '--url for a store without a backend',
      ['memory', '--url', 'redis://127.0.0.1:6379'],
      /--url applies only to a built-in store with a backend/,
    ],
    [
      'a URL that does not answer',
      ['redis', '--url', 'redis://127.0.0.1:9'],
      /redis at redis:\/\/127\.0\.0\.1:9 \(from the --url flag\) does not answer/,
    ],
    ['a bad reporter', ['memory', '--reporter', 'xml'], /--reporter must be one of tty, json, junit, markdown, github/],
  ])('2 and one line for %s', async (_case, argv, message) => {
    const { code, stdout, stderr } = await cli(...argv)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(message)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe.concurrent('filters and the catalogue', () => {
  test('--list prints every check', async () => {
    const { code, stdout } = await cli('--list')
    expect(code).toBe(0)
    for (const check of checks) expect(stdout).toContain(check.id)
  })

  test('--list --reporter json is the catalogue as data', async () => {
    const entries = JSON.parse((await cli('--list', '--reporter', 'json')).stdout) as { id: string }[]
    expect(entries.map((entry) => entry.id)).toEqual(checks.map((check) => check.id))
  })

  test('--only and --skip take ids and groups; the rest is reported as filtered', async () => {
    const { stdout } = await cli(
      'memory',
      '--only',
      'core,ttl.expires-on-time',
      '--skip',
      'set.overwrites',
      '--reporter',
      'json',
    )
    const report = JSON.parse(stdout) as { results: { id: string; group: string; status: string; reason?: string }[] }
    const ran = report.results.filter((result) => result.reason !== 'filtered').map((result) => result.id)
    expect(ran).toContain('ttl.expires-on-time')
    expect(ran).toContain('get.miss-returns-nothing')
    expect(ran).not.toContain('set.overwrites')
    expect(ran).not.toContain('shape.event-emitter')
  })
})

describe.concurrent('reporters', () => {
  test('json has the documented schema', async () => {
    const { stdout } = await cli('memory', '--reporter', 'json', '--only', 'core')
    const report = JSON.parse(stdout)
    expect(report).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'store-conformance', version: expect.any(String) },
      store: { name: 'memory' },
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      durationMs: expect.any(Number),
      summary: { passed: expect.any(Number), failed: 0, warned: 0, skipped: expect.any(Number) },
      gate: 'required',
    })
    expect(report.results[0]).toEqual({
      id: 'shape.event-emitter',
      group: 'shape',
      level: 'required',
      title: expect.any(String),
      durationMs: 0,
      status: 'skip',
      reason: 'filtered',
      message: expect.any(String),
    })
    expect(report.results.find((result: { id: string }) => result.id === 'set.round-trip')).toMatchObject({
      status: 'pass',
      durationMs: expect.any(Number),
    })
  })

  test('junit is well-formed XML with a failure element per failed check', async () => {
    const { stdout } = await cli('./fails-required.cjs', '--reporter', 'junit')
    expect(XMLValidator.validate(stdout)).toBe(true)
    const failed = Number(/<testsuites [^>]*failures="(\d+)"/.exec(stdout)?.[1])
    expect(failed).toBeGreaterThan(0)
    expect(stdout.match(/<failure /g)).toHaveLength(failed)
    expect(stdout).toContain('<testcase classname="core" name="get.miss-returns-nothing:')
  })

  test('markdown is a table with one row per check', async () => {
    const { stdout } = await cli('memory', '--reporter', 'markdown')
    expect(stdout).toContain('| status | check | level | contract | details |')
    const runnable = checks.filter((check) => !check.faults).length
    expect(stdout.split('\n').filter((line) => line.startsWith('| ✓ pass'))).toHaveLength(runnable)
  })

  test('--out writes the report to a file and prints the human summary', async (context) => {
    const dir = await tempDir(context)
    const file = path.join(dir, 'report.xml')
    const { code, stdout } = await cli('memory', '--reporter', 'junit', '--out', file, '--only', 'shape')
    expect(code).toBe(0)
    expect(stdout).toContain('report written to')
    expect(XMLValidator.validate(await readFile(file, 'utf8'))).toBe(true)
  })

  test('no colour codes when stdout is not a terminal', async () => {
    expect((await cli('memory', '--only', 'shape')).stdout).not.toContain('\x1b[')
  })
})

describe.concurrent('matrix', () => {
  test('writes the matrix for the stores named, one row per check and one column per store', async (context) => {
    const dir = await tempDir(context)
    const { code, stdout, stderr } = await cli('matrix', 'memory', 'memorystore', '--out-dir', dir)
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/^memory: \d+ passed, 0 failed/m)
    const markdown = await readFile(path.join(dir, 'conformance-matrix.md'), 'utf8')
    expect(markdown).toContain('| check | level | memory | memorystore |')
    for (const check of checks) expect(markdown).toContain(`| \`${check.id}\` |`)
    expect(markdown).toContain('| memorystore | memorystore@')
    const json = JSON.parse(await readFile(path.join(dir, 'conformance-matrix.json'), 'utf8'))
    expect(json.reports.map((report: { store: { name: string } }) => report.store.name)).toEqual([
      'memory',
      'memorystore',
    ])
    expect(json.table).toHaveLength(checks.length)
  })

  test('--all is the matrix command', async (context) => {
    const dir = await tempDir(context)
    const { code } = await cli('memory', '--all', '--out-dir', dir)
    expect(code).toBe(0)
  })

  test('an unknown built-in store is exit 2', async () => {
    const { code, stderr } = await cli('matrix', 'cassandra')
    expect(code).toBe(2)
    expect(stderr).toMatch(/unknown built-in store: cassandra/)
  })

  test('a required backend that is unavailable fails the run; without --require it is skipped', async (context) => {
    if (process.env.MONGO_URL || process.env.MONGODB_URL) context.skip('MongoDB is available here')
    const skipped = await cli('mongo')
    expect(skipped.code).toBe(0)
    expect(skipped.stdout).toMatch(/^SKIPPED: mongo is not available: .*set MONGO_URL/m)
    const required = await cli('mongo', '--require', 'mongo')
    expect(required.code).toBe(1)
    expect(required.stdout).toMatch(/^FAIL: required backend unavailable/m)
  })
})

describe.concurrent('bench', () => {
  test('a bench whose every store was unavailable measured nothing: exit 1, and why', async (context) => {
    if (process.env.MONGO_URL || process.env.MONGODB_URL) context.skip('MongoDB is available here')
    const dir = await tempDir(context)
    const { code, stderr } = await cli('bench', 'mongo', '--quick', '--out-dir', dir)
    expect(code).toBe(1)
    expect(stderr).toMatch(/nothing was measured \(mongo: mongo is not available: /)
  })

  test('--require: a bench that could not measure a required store fails, as a run does', async (context) => {
    const dir = await tempDir(context)
    const argv = ['bench', 'memory', 'mongo', '--require', 'mongo', '--window', '2', '--cell-time', '30']
    const { code, stderr } = await cli(...argv, '--concurrency', '1', '--mix', 'none', '--out-dir', dir)
    expect(code).toBe(1)
    expect(stderr).toContain('store-conformance: required backend unavailable: mongo')
  })

  test("a user's TypeScript store module benches beside a built-in, without a raw baseline", async (context) => {
    const dir = await tempDir(context)
    const quick = ['--window', '2', '--cell-time', '30', '--payloads', '256B', '--concurrency', '1', '--mix', 'none']
    const { code, stdout, stderr } = await cli('bench', './typed-store.ts', 'memory', ...quick, '--out-dir', dir)
    expect(code, stderr).toBe(0)
    // No raw baseline, so no × raw: the terminal table says so with a dash.
    expect(stdout).toMatch(/^\.\/typed-store\.ts +get-hit +256B +1 +[\d.]+ ±[\d.]+ %†? +—$/m)
    expect(await readFile(path.join(dir, 'bench.md'), 'utf8')).toMatch(/^\| \.\/typed-store\.ts \| — \| /m)
    const report = JSON.parse(await readFile(path.join(dir, 'bench.json'), 'utf8'))
    const cells = report.cells.filter((cell: { store: string }) => cell.store === './typed-store.ts')
    expect(new Set(cells.map((cell: { target: string }) => cell.target))).toEqual(new Set(['store']))
    expect(cells.length).toBeGreaterThan(0)
    expect(report.stores.find((store: { name: string }) => store.name === './typed-store.ts').baseline).toBeUndefined()
    const url = await cli('bench', './typed-store.ts', '--url', 'redis://127.0.0.1:1')
    expect(url.code).toBe(2)
    expect(url.stderr).toContain('--url applies only to a built-in store with a backend')
  })

  test('--url names one backend: stores on two are refused before anything is opened', async () => {
    const { code, stderr } = await cli('bench', 'memory', 'redis', '--url', 'redis://127.0.0.1:1')
    expect(code).toBe(2)
    expect(stderr).toMatch(/--url names one backend, and these stores are on memory, redis/)
  })

  test('writes bench.json, bench.md and bench.html, and says how to regenerate them', async (context) => {
    const dir = await tempDir(context)
    const argv = [
      'bench',
      'memory',
      '--window',
      '2',
      '--cell-time',
      '30',
      '--payloads',
      '256B',
      '--concurrency',
      '1',
      '--mix',
      'reads:95',
    ]
    const { code, stdout, stderr } = await cli(...argv, '--out-dir', dir)
    expect(code, stderr).toBe(0)
    // The terminal gets a compact table, every figure ± its interval; the Markdown goes to bench.md.
    expect(stdout).toMatch(/^store +operation +size +in flight +p50 ms \(mix: mean\) +× raw$/m)
    expect(stdout).toMatch(/^memory +get-hit +256B +1 +[\d.]+ ±[\d.]+ %†? +[\d.]+× ±[\d.]+ %†?$/m)
    expect(stdout).toMatch(/^memory +mix:reads:95 +256B +1 +mean [\d.]+ ±/m)
    expect(stdout).toMatch(/^\d+ of 21 cells resolved to ±5 % \(95 %\)\.$/m)
    const markdown = await readFile(path.join(dir, 'bench.md'), 'utf8')
    expect(markdown).toContain('## Latency (1 call in flight)')
    expect(markdown).toContain(`with \`store-conformance ${argv.join(' ')}\``)
    expect(markdown).toMatch(/\| memory \| get-hit \| [\d.]+ ±[\d.]+ %†? \/ [\d.]+ ±[\d.]+ % \| [\d.]+× ±[\d.]+ %†? \|/)
    expect(markdown).toMatch(/^Harness overhead .*: get-hit [\d.]+ µs/m)
    const report = JSON.parse(await readFile(path.join(dir, 'bench.json'), 'utf8'))
    expect(report).toMatchObject({
      schemaVersion: 2,
      settings: { windowMs: 2, cellCapMs: 30, concurrency: [1], mixes: [{ name: 'reads:95', readShare: 0.95 }] },
    })
    // 6 operations and 1 mix on the store, on its raw baseline, and on the no-op harness target.
    expect(report.cells).toHaveLength(21)
    expect(await readFile(path.join(dir, 'bench.html'), 'utf8')).toMatch(/^<!doctype html>/)
  })

  test.each([
    ['an unknown payload size', ['bench', 'memory', '--payloads', '1MB'], /--payloads: unknown size 1MB/],
    [
      'the run count of the old bench',
      ['bench', 'memory', '--runs', '4'],
      /--runs is gone: the bench samples each cell/,
    ],
    ['a precision of nothing', ['bench', 'memory', '--precision', '0'], /--precision must be a percentage from 0.5/],
    ['an unknown store', ['bench', 'cassandra'], /unknown built-in store: cassandra/],
    ['a name every object has', ['bench', 'constructor'], /unknown built-in store: constructor/],
    ['an unknown mix', ['bench', 'memory', '--mix', 'reads:150'], /--mix: unknown mix "reads:150"/],
    [
      'a bad growth size',
      ['bench', 'memory', '--growth', '1000,lots'],
      /--growth must be a whole number from 1 to 10000000, got "lots"/,
    ],
    ['a store named twice', ['bench', 'memory', 'file', 'memory'], /stores: memory given more than once/],
    [
      'a payload named twice',
      ['bench', 'memory', '--payloads', '256B,4KB,256B'],
      /payloads: 256B given more than once/,
    ],
  ])('2 and one line for %s', async (_case, argv, message) => {
    const { code, stderr } = await cli(...argv)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
  })
})

describe('bench --baseline: the regression gate', () => {
  const quick = ['--window', '2', '--cell-time', '30', '--payloads', '256B', '--concurrency', '1', '--mix', 'none']

  test('exit 1 when the current run is significantly slower than the baseline', {
    timeout: 60_000,
  }, async (context) => {
    const dir = await tempDir(context)
    const first = await cli('bench', 'memory', '--out-dir', dir, ...quick)
    expect(first.code, first.stderr).toBe(0)
    const report = JSON.parse(await readFile(path.join(dir, 'bench.json'), 'utf8'))

    // A baseline whose store was a thousand times closer to its raw client: every interval of this
    // run lies far above the baseline's, whatever the machine does between the two runs.
    for (const cell of report.cells.filter((entry: { overhead?: unknown }) => entry.overhead)) {
      const ratio = cell.overhead.low / 1000
      cell.overhead = { estimate: ratio, low: ratio * 0.99, high: ratio * 1.01, halfWidthPct: 1, n: 6 }
    }
    await writeFile(path.join(dir, 'faster.json'), JSON.stringify(report))
    const slower = await cli(
      'bench',
      'memory',
      '--out-dir',
      path.join(dir, 'again'),
      ...quick,
      '--baseline',
      path.join(dir, 'faster.json'),
    )
    expect(slower.code).toBe(1)
    expect(slower.stdout).toMatch(/^Compared with the baseline: 6 changed or inconclusive, 0 unchanged; 0 of 6 /m)
    expect(slower.stdout).toMatch(
      /^ {2}regression: memory get-hit 256B ×1: × raw \+\d+\.\d %, the 95 % intervals apart$/m,
    )
    const markdown = await readFile(path.join(dir, 'again', 'bench.md'), 'utf8')
    expect(markdown).toMatch(/## Compared with the baseline\n\nReproduced: 0 of 6 [^\n]*\n\n6 regression\(s\)/)
    expect(markdown).toMatch(/\| regression \| memory \| get-hit \| 256B \| 1 \| \+\d+\.\d % \(/)
  })

  test('a baseline that is not a bench report is exit 2 before anything is measured', async (context) => {
    const dir = await tempDir(context)
    await writeFile(path.join(dir, 'nope.json'), '{"hello": 1}')
    const { code, stderr } = await cli('bench', 'memory', '--baseline', path.join(dir, 'nope.json'), '--out-dir', dir)
    expect(code).toBe(2)
    expect(stderr).toMatch(/is not a store-conformance bench report/)
  })
})
