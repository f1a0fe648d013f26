import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createClient } from 'redis'
import { describe, expect, test } from 'vitest'
import { freePort } from '../src/backends/free-port.js'
import { backendOf } from '../src/backends/index.js'
import { CliProcess, descendantsOf, eventually, isAlive } from './support/cli-process.js'

/**
 * Real signals to the real CLI, on the real backends of this machine: whatever point of the run
 * a signal lands on, what the run wrote is removed, stderr says so, and the exit code is 130/143.
 */

const SHARED = {
  redis: 'redis://127.0.0.1:6379',
  postgres: process.env.DATABASE_URL,
  mysql: process.env.MYSQL_URL,
  file: '',
} as const
type Store = keyof typeof SHARED

const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const

/** Where the verbose run says it writes: `sc-1a2b3c4d:`, `sc_1a2b3c4d`, a temp directory. */
const WRITES_IN = /writes in (\S+)/

/** Signals and the moment after the run started writing at which they land (ms). */
const POINTS = [
  ['SIGINT', 0],
  ['SIGTERM', 700],
] as const

async function leftovers(store: Store, namespace: string): Promise<string[]> {
  return (await backendOf(store)?.leftovers?.(SHARED[store] ?? '', namespace)) ?? []
}

describe.concurrent('an interrupted run removes what it wrote', () => {
  const cases = (Object.keys(SHARED) as Store[]).flatMap((store) =>
    POINTS.map(([signal, afterMs]) => [store, signal, afterMs] as const),
  )
  test.for(cases)('%s, %s %i ms in', async ([store, signal, afterMs], context) => {
    if (store !== 'file' && store !== 'redis' && !SHARED[store]) context.skip(`${store}: no URL in the environment`)
    const env = store === 'redis' ? { REDIS_URL: SHARED.redis } : {}
    const cli = new CliProcess([store, '--verbose'], env)
    const [, namespace = ''] = await cli.waitForStderr(WRITES_IN)
    if (afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs))
    // The report is printed only at the end: nothing on stdout yet means the run is still going.
    const stillRunning = cli.stdout === ''
    cli.signal(signal)
    const { code } = await cli.exited
    // A run that finished before the signal landed exits as usual; its data is gone all the same.
    if (stillRunning) {
      expect(code, cli.stderr).toBe(EXIT_CODE[signal])
      expect(cli.stderr).toMatch(/interrupted; removed what the run wrote/)
    }
    expect(await leftovers(store, namespace), `${namespace} was left behind`).toEqual([])
  })
})

test('a second Ctrl-C quits at once and names what may be left; the store process still cleans up', async () => {
  const cli = new CliProcess(['redis', '--verbose'], { REDIS_URL: SHARED.redis })
  const [, namespace = ''] = await cli.waitForStderr(WRITES_IN)
  cli.signal('SIGINT')
  await cli.waitForStderr(/SIGINT: stopping the checks/)
  cli.signal('SIGINT')
  const { code } = await cli.exited
  expect(code).toBe(130)
  expect(cli.stderr).toContain(`quitting at once; may be left behind: ${namespace} on redis`)
  // The store's process, its parent gone, finishes removing the run's keys on its own.
  expect(await eventually(async () => (await leftovers('redis', namespace)).length === 0, 15_000)).toBe(true)
})

test('SIGKILL of the CLI leaves no process it started running, the redis-server included', async () => {
  // No REDIS_URL: the run starts a redis-server of its own.
  const cli = new CliProcess(['redis', '--verbose'], { REDIS_URL: '' })
  await cli.waitForStderr(WRITES_IN)
  const started = descendantsOf(cli.child.pid as number)
  expect(started.length).toBeGreaterThanOrEqual(3) // the store's process, the server guard, redis-server
  cli.signal('SIGKILL')
  await cli.exited
  expect(await eventually(() => started.every((pid) => !isAlive(pid)), 15_000)).toBe(true)
})

describe('an interrupted bench removes what it wrote', () => {
  test('on a redis-server of its own and in temp directories', async (context) => {
    const port = await freePort()
    const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    context.onTestFinished(() => void server.kill('SIGKILL'))
    const url = `redis://127.0.0.1:${port}`
    const client = createClient({ url })
    await eventually(
      () =>
        client.connect().then(
          () => true,
          () => false,
        ),
      10_000,
    )
    context.onTestFinished(() => client.quit().then(() => undefined))

    const out = path.join(tmpdir(), `sc-bench-interrupt-${process.pid}`)
    context.onTestFinished(() => rm(out, { recursive: true, force: true }))
    const cli = new CliProcess(['bench', 'redis', 'file', '--quick', '--out-dir', out], { REDIS_URL: url })
    expect(await eventually(async () => (await client.dbSize()) > 0, 20_000)).toBe(true)
    cli.signal('SIGINT')
    const { code } = await cli.exited
    expect(code, cli.stderr).toBe(130)
    expect(cli.stderr).toContain('interrupted; removed what the bench wrote')
    expect(await client.dbSize()).toBe(0)
    expect(ownedBy(cli.child.pid as number)).toEqual([])
  })
})

/** Temp directories this tool marked as owned by `pid`. */
function ownedBy(pid: number): string[] {
  return readdirSync(tmpdir())
    .filter((entry) => entry.startsWith('sc-'))
    .filter((entry) => {
      try {
        return readFileSync(path.join(tmpdir(), entry, '.store-conformance-owner'), 'utf8') === String(pid)
      } catch {
        return false
      }
    })
}
