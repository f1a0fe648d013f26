import { execFileSync } from 'node:child_process'
import { expect, test } from 'vitest'
import { isRequired, requiredList } from '../src/api/required.js'
import { runWorkersBench } from '../src/api/workers/run-workers-bench.js'
import { ceilingFor } from '../src/bench/ceilings.js'
import { workersMarkdown } from '../src/reporters/bench/workers-markdown.js'

/** The pids of every load worker on the machine. */
function workerProcesses(): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('workers/worker-process'))
    .map((line) => Number.parseInt(line.trim(), 10))
}

test('--workers: redis and its raw client from 2 processes, beside redis-benchmark; nothing left behind', {
  timeout: 120_000,
}, async (context) => {
  const before = workerProcesses()
  const report = await runWorkersBench({
    stores: ['memory', 'redis'],
    workers: 2,
    payload: '256B',
    concurrency: 8,
    windowMs: 20,
    targetPct: 5,
    cellCapMs: 1,
    poolSize: 20,
    timeoutMs: 10_000,
  })
  expect(workerProcesses()).toEqual(before)
  expect(report.skipped).toContainEqual({ store: 'memory', reason: expect.stringMatching(/^in-process/) })
  const redis = report.skipped.find((entry) => entry.store === 'redis')
  if (redis) {
    expect(isRequired(requiredList([]), 'redis', 'redis'), `redis is required here: ${redis.reason}`).toBe(false)
    return context.skip(redis.reason)
  }
  expect(report.failures).toEqual([])
  expect(report.cells.map((cell) => `${cell.store} ${cell.target}`)).toEqual(['redis store', 'redis raw'])
  for (const cell of report.cells) {
    expect(cell.windows.length).toBeGreaterThanOrEqual(6)
    // Both workers' calls are in every window: 8 in flight in each.
    expect(cell.windows.every((window) => window.concurrency === 16)).toBe(true)
  }
  expect(report.cells[0]?.kept?.estimate).toBeGreaterThan(0)
  const [ceiling] = report.ceilings
  if (!ceiling) return context.skip('redis-benchmark is not installed (apt-get install redis-tools)')
  expect(ceiling).toMatchObject({ store: 'redis', tool: 'redis-benchmark', runs: expect.any(Array) })
  expect(ceiling.runs).toHaveLength(6)
  expect(workersMarkdown(report).join('\n')).toMatch(/\| redis \| [\d,]+ ±[\d.]+ %†? \| .* \| \d+ % \|$/m)
})

test('pgbench: PostgreSQL’s own ceiling, on a table in a schema of the bench’s own that it drops', {
  timeout: 60_000,
}, async (context) => {
  const url = process.env.DATABASE_URL
  if (!url) return context.skip('no DATABASE_URL: no PostgreSQL to run pgbench against')
  const ceiling = await ceilingFor({ kind: 'postgres', url }, 256, 0)
  if (!ceiling) return context.skip('pgbench or psql is not installed (apt-get install postgresql-client)')
  const schemas = () =>
    execFileSync('psql', [url, '-qAtc', "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'sc_bench_%'"], {
      encoding: 'utf8',
    }).trim()
  try {
    expect(schemas()).not.toBe('0')
    expect(await ceiling.measure()).toBeGreaterThan(0)
  } finally {
    await ceiling.cleanup()
  }
  expect(schemas()).toBe('0')
})
