import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createClient } from 'redis'
import { describe, expect, type TestContext, test } from 'vitest'
import { sameInstance } from '../src/api/backend-watch.js'
import { runConformance } from '../src/api/run-conformance.js'
import { freePort } from '../src/backends/free-port.js'
import type { RunReport } from '../src/core/types.js'
import { eventually } from './support/cli-process.js'

/**
 * A redis-server this test owns, restarted or paused while a run uses it: what it lost or could
 * not answer is reported as a backend fault, and no check failure is blamed on the store.
 */
class OwnRedis {
  server: ChildProcess | undefined
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
    this.server = spawn('redis-server', [...args, '--dir', this.dir], { stdio: 'ignore' })
    const answers = async () => {
      const client = createClient({ url: this.url, socket: { reconnectStrategy: false } })
      client.on('error', () => {})
      return client.connect().then(
        async () => {
          await client.quit()
          return true
        },
        () => false,
      )
    }
    expect(await eventually(answers, 10_000)).toBe(true)
  }

  async restart(): Promise<void> {
    const stopped = new Promise((resolve) => this.server?.once('exit', resolve))
    this.server?.kill('SIGKILL')
    await stopped
    await this.start()
  }

  signal(signal: NodeJS.Signals): void {
    this.server?.kill(signal)
  }
}

async function ownRedis(context: TestContext): Promise<OwnRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sc-own-redis-'))
  const redis = new OwnRedis(await freePort(), dir)
  context.onTestFinished(async () => {
    redis.server?.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  })
  await redis.start()
  return redis
}

/** The checks connect-redis fails on a healthy server: a fault may hide them, never add to them. */
async function healthyFailures(url: string): Promise<Set<string>> {
  const report = await runConformance({ store: 'redis', backendUrl: url })
  return new Set(report.results.filter((result) => result.status === 'fail').map((result) => result.id))
}

function expectBlamedOnTheBackend(report: RunReport, healthy: Set<string>, reason: RegExp): void {
  const problems = report.problems?.filter((problem) => problem.kind === 'backend-fault') ?? []
  expect(problems.map((problem) => problem.message).join('\n')).toMatch(reason)
  const faulted = report.results.filter((result) => result.status === 'skip' && result.reason === 'backend-fault')
  expect(faulted.length).toBeGreaterThan(0)
  const blamed = report.results.filter((result) => result.status === 'fail' && !healthy.has(result.id))
  expect(blamed.map((result) => `${result.id}: ${result.message}`)).toEqual([])
}

/**
 * A run on a Redis of our own whose server `fault` strikes once, when the TTL checks (which wait on
 * sessions they wrote) start; the run must blame the backend, never the store, and say `reason`.
 */
async function expectFaultBlamedOnTheBackend(
  context: TestContext,
  fault: (redis: OwnRedis) => Promise<void>,
  reason: RegExp,
): Promise<void> {
  const redis = await ownRedis(context)
  const healthy = await healthyFailures(redis.url)
  let struck: Promise<void> | undefined
  const report = await runConformance({
    store: 'redis',
    backendUrl: redis.url,
    onCheckStart: (id) => {
      if (id.startsWith('ttl.')) struck ??= fault(redis)
    },
  })
  await struck
  expectBlamedOnTheBackend(report, healthy, reason)
}

describe('the backend is watched, so its faults are not blamed on the store', () => {
  test('a restart mid-run is reported as a backend fault', async (context) => {
    // The server loses every session the checks wrote.
    await expectFaultBlamedOnTheBackend(context, (redis) => redis.restart(), /redis restarted during the run/)
  })

  test('a pause mid-run is reported as the backend not answering, not the store hanging', async (context) => {
    await expectFaultBlamedOnTheBackend(
      context,
      async (redis) => {
        redis.signal('SIGSTOP')
        // Longer than a store call may take (3 s), so calls time out while it is stopped.
        await new Promise((resolve) => setTimeout(resolve, 4000))
        redis.signal('SIGCONT')
      },
      /redis did not answer/,
    )
  })
})

test('an instance is the same server when its words match and its start times are a second apart', () => {
  expect(sameInstance('2024-01-01 10:00:00.123+00', '2024-01-01 10:00:00.123+00')).toBe(true)
  expect(sameInstance('1700000000', '1700000001')).toBe(true)
  expect(sameInstance('1700000000', '1700000005')).toBe(false)
  expect(sameInstance('pid:12 1700000000', 'pid:13 1700000000')).toBe(false)
  expect(sameInstance('pid:12 1700000000', 'pid:12 1700000001')).toBe(true)
  expect(sameInstance('a1b2', 'c3d4')).toBe(false)
})
