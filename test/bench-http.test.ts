import { execFileSync, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { benchFailed } from '../src/api/bench-files.js'
import { startApp } from '../src/api/http-bench/app-server.js'
import { runHttpBench } from '../src/api/http-bench/run-http-bench.js'
import { benchJson } from '../src/reporters/bench/json.js'
import { benchMarkdown } from '../src/reporters/bench/markdown.js'
import { EMPTY_REPORT } from './support/bench-fixtures.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'modules')

/** The pids of every HTTP bench app process on the machine. */
function appProcesses(): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('http-bench/app-process'))
    .map((line) => Number.parseInt(line.trim(), 10))
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Polls until `pid` is gone, for at most `ms`: an exit is an event in another process. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return !isRunning(pid)
}

test('an app serves its setup from a process of its own, and stopping it ends that process', async () => {
  const app = await startApp({ setup: { kind: 'store', name: 'memory', spec: 'memory' }, payloadBytes: 256, cwd: '.' })
  try {
    expect(app.pid).not.toBe(process.pid)
    const seeded = await fetch(`${app.url}/seed`, { method: 'POST' })
    const cookie = seeded.headers.getSetCookie()[0]?.split(';')[0] ?? ''
    expect(cookie).toMatch(/^connect\.sid=/)
    const browse = await fetch(`${app.url}/browse`, { headers: { cookie } })
    expect(await browse.json()).toEqual({ ok: true, user: 'ada lovelace' })
  } finally {
    await app.stop()
  }
  expect(isRunning(app.pid)).toBe(false)
})

test('an app whose parent is killed outright closes its store and exits', { timeout: 30_000 }, async () => {
  // A parent that starts an app, prints its pid, and waits to be killed.
  const parent = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { startApp } from ${JSON.stringify(path.resolve('src/api/http-bench/app-server.ts'))}
       const setup = { kind: 'cookie-session', name: 'cookie-session' }
       const app = await startApp({ setup, payloadBytes: 256, cwd: '.' })
       console.log(app.pid)
       setInterval(() => {}, 1000)`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout.setEncoding('utf8').once('data', (line: string) => resolve(Number.parseInt(line, 10)))
    parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before its app listened`)))
  })
  expect(isRunning(pid)).toBe(true)
  parent.kill('SIGKILL')
  expect(await gone(pid, 10_000)).toBe(true)
})

test('the HTTP bench pairs every setup with no-session, reports its intervals, and leaves no process', {
  timeout: 120_000,
}, async (context) => {
  const before = appProcesses()
  const report = await runHttpBench({
    stores: [
      { name: 'memory', spec: 'memory' },
      { name: 'get-fails', spec: path.join(fixtures, 'get-fails.cjs') },
      { name: 'mongo', spec: 'mongo' },
    ],
    scenarios: ['browse', 'login'],
    connections: 4,
    windowMs: 60,
    cellCapMs: 1,
  })
  expect(appProcesses()).toEqual(before)
  expect(report.setups.map((setup) => setup.name)).toEqual([
    'no-session',
    'cookie-session',
    'memory',
    'get-fails',
    'mongo',
  ])
  // A 4 KB session does not fit in a cookie a browser keeps (4096 bytes): the report says how big it is.
  expect(report.setups.find((setup) => setup.kind === 'cookie-session')?.cookieBytes).toBeGreaterThan(4096)
  const cells = report.cells.map((cell) => `${cell.scenario} ${cell.setup}`)
  expect(cells).toEqual([
    'browse no-session',
    'browse cookie-session',
    'browse memory',
    'login no-session',
    'login cookie-session',
    'login memory',
  ])
  for (const cell of report.cells) {
    expect(cell.windows.length).toBeGreaterThanOrEqual(6)
    expect(cell.opsPerSec.low).toBeLessThanOrEqual(cell.opsPerSec.estimate)
    expect(cell.p99.estimate).toBeGreaterThanOrEqual(cell.p50.estimate)
    if (cell.setup === 'no-session') expect(cell.kept).toBeUndefined()
    else expect(cell.kept?.estimate).toBeGreaterThan(0)
  }
  // A store that breaks requests is a finding, not a number: its cell stops at the first failing window.
  const failed = (scenario: string) => ({
    setup: 'get-fails',
    scenario,
    window: 1,
    error: expect.stringMatching(/^\d+ of \d+ requests failed \(0 connection errors, 0 timeouts, status 500\)$/),
  })
  expect(report.failures).toEqual([failed('browse'), failed('login')])
  // And it fails the bench's gate, as a store call that fails does.
  expect(benchFailed({ ...EMPTY_REPORT, http: report }, [])).toBe(true)
  expect(benchFailed({ ...EMPTY_REPORT, http: { ...report, failures: [] } }, [])).toBe(false)
  const markdown = benchMarkdown({ ...EMPTY_REPORT, http: report })
  expect(markdown).toMatch(/## Whole requests over HTTP/)
  expect(markdown).toMatch(
    /\| memory \| [\d,]+ ±\d+ %†? \| [\d.]+ ±[\d.]+ % \| [\d.]+ ±[\d.]+ % \| \d+ % ±[\d.]+ %†? \|/,
  )
  expect(markdown).toMatch(/over the 4096 bytes browsers keep per cookie/)
  expect(JSON.parse(benchJson({ ...EMPTY_REPORT, http: report })).http.cells).toHaveLength(6)
  if (process.env.MONGO_URL) context.skip('MongoDB is available here: nothing unavailable to report')
  expect(report.setups.find((setup) => setup.name === 'mongo')?.unavailable).toMatch(/mongo is not available/)
})
