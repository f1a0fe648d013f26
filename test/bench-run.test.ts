import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { benchStores } from '../src/api/bench-stores.js'
import { isRequired, requiredList } from '../src/api/required.js'
import { defineAdapter } from '../src/backends/define.js'
import { loadAdapter } from '../src/backends/index.js'
import type { Adapter } from '../src/backends/types.js'
import { BackendUnavailableError } from '../src/backends/unavailable.js'
import { overheadOf } from '../src/bench/cells.js'
import { measureGrowth } from '../src/bench/growth.js'
import { MIN_WINDOWS } from '../src/bench/interval.js'
import { MIXES } from '../src/bench/mix.js'
import { runBench } from '../src/bench/run-bench.js'
import { expressSession } from '../src/core/express-session.js'
import { benchMarkdown } from '../src/reporters/bench/markdown.js'
import { TINY_BENCH } from './support/bench-fixtures.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'modules')

// Structure only: what the numbers are is the benchmark's business, not a test's.
test('a tiny bench: store, raw baseline and harness each run; an unavailable backend is reported', async (context) => {
  const report = await runBench({
    stores: ['memory', 'mongo'],
    operations: ['get-hit', 'set-new'],
    payloads: ['256B'],
    concurrency: [1, 4],
    mixes: [MIXES['read-heavy'] as (typeof MIXES)[string]],
    windowMs: 2,
    cellCapMs: 30,
  })
  expect(report).toMatchObject({
    schemaVersion: 2,
    settings: {
      windowMs: 2,
      cellCapMs: 30,
      targetPct: 5,
      confidence: 0.95,
      significantDigits: 3,
      concurrency: [1, 4],
      closedLoop: true,
      loadPayload: '256B',
      mixes: [{ name: 'read-heavy', readShare: 0.9 }],
    },
    environment: {
      tinybench: expect.stringMatching(/^6\./),
      hdrHistogram: expect.stringMatching(/^3\./),
      expressSession: expect.stringMatching(/^1\./),
    },
    growth: [],
  })
  const measured = [
    'get-hit 256B x1',
    'get-hit 256B x4',
    'set-new 256B x1',
    'set-new 256B x4',
    'mix:read-heavy 256B x1',
    'mix:read-heavy 256B x4',
  ]
  expect(
    report.cells.map((cell) => `${cell.store} ${cell.target} ${cell.operation} ${cell.payload} x${cell.concurrency}`),
  ).toEqual([
    ...measured.map((entry) => `memory store ${entry}`),
    ...measured.map((entry) => `memory raw ${entry}`),
    // The harness's own cost: the same operations on a no-op target, one call at a time.
    ...measured.filter((entry) => entry.endsWith('x1')).map((entry) => `no-op harness ${entry}`),
  ])
  // The raw baseline is measured in the same cells, window for window, and every store cell is set against it.
  expect(report.stores.find((store) => store.name === 'memory')?.baseline).toBe(
    'JSON text with an expiry in a Map; touch moves the expiry',
  )
  for (const cell of report.cells.filter((entry) => entry.target === 'store')) {
    const raw = report.cells.find(
      (entry) => entry.target === 'raw' && entry.operation === cell.operation && entry.concurrency === cell.concurrency,
    )
    expect(raw?.windows).toHaveLength(cell.windows.length)
    expect(cell.overhead).toEqual(overheadOf(cell.windows, raw?.windows ?? [], cell.headline))
    expect(cell.rawOpsPerSec).toEqual(raw?.opsPerSec)
    expect(cell.headline).toBe(cell.operation.startsWith('mix:') ? 'mean' : 'p50')
  }
  for (const cell of report.cells) {
    expect(cell.windows.length).toBeGreaterThanOrEqual(MIN_WINDOWS)
    expect(cell.p50.n).toBe(cell.windows.length)
    expect(cell.p50.low).toBeLessThanOrEqual(cell.p50.estimate)
    expect(cell.p50.high).toBeGreaterThanOrEqual(cell.p50.estimate)
    expect(cell.opsPerSec.estimate).toBeGreaterThan(0)
    // Resolved: the headline is known to ±5 %; otherwise the cell ran into its cap.
    if (cell.resolved) expect(cell[cell.headline].halfWidthPct).toBeLessThanOrEqual(5)
    else expect(cell.elapsedMs).toBeGreaterThanOrEqual(30)
  }
  // The machine's own steadiness: probed before every fourth turn of a cell, at least 9 cells × 3 rounds of them.
  expect(report.steadiness).toMatchObject({ p50: { samples: expect.any(Number) }, drift: expect.any(Number) })
  expect(report.steadiness?.p50.samples).toBeGreaterThanOrEqual(Math.floor((9 * 3) / 4))
  expect(report.steadiness?.drift).toBeCloseTo(
    (report.steadiness?.p50.max ?? Number.NaN) / (report.steadiness?.p50.min ?? Number.NaN),
    10,
  )
  const mongo = report.stores.find((store) => store.name === 'mongo')
  if (!mongo?.unavailable) context.skip('MongoDB is available here: nothing unavailable to report')
  expect(mongo?.unavailable).toMatch(/mongo is not available: .*MONGO_URL/)
})

test('growth measures get, length and all at each size, ascending, and removes every session it wrote', async () => {
  const store = new expressSession.MemoryStore()
  const counted: (number | undefined)[] = []
  const length = store.length.bind(store)
  store.length = (callback) =>
    length((err, count) => {
      counted.push(count)
      callback(err, count)
    })
  const { cells, failures } = await measureGrowth([{ name: 'memory', store: store as never }], {
    sessions: [200, 50],
    payload: '256B',
    windowMs: 2,
    warmupMs: 2,
    targetPct: 5,
    cellCapMs: 30,
    expressSession,
  })
  expect(cells.map((cell) => `${cell.store} ${cell.operation} ${cell.sessions}`)).toEqual([
    'memory get 50',
    'memory length 50',
    'memory all 50',
    'memory get 200',
    'memory length 200',
    'memory all 200',
  ])
  for (const cell of cells) expect(cell.windows.length).toBeGreaterThanOrEqual(MIN_WINDOWS)
  expect(failures).toEqual([])
  // length() saw exactly the sessions grown so far: sizes are reached by adding, never rewriting.
  expect(new Set(counted)).toEqual(new Set([50, 200]))
  expect(await new Promise((resolve) => length((_, count) => resolve(count)))).toBe(0)
})

test('growth records what fails, and stops growing a store that cannot take more sessions', async () => {
  const limited = new expressSession.MemoryStore()
  const set = limited.set.bind(limited)
  let stored = 0
  limited.set = (sid, value, callback) =>
    ++stored > 30 ? callback?.(new Error('store full')) : set(sid, value, callback)
  limited.all = (callback) => callback(new Error('all() is not supported\nstack'))
  const { cells, failures } = await measureGrowth([{ name: 'limited', store: limited as never }], {
    sessions: [20, 40, 80],
    payload: '256B',
    windowMs: 2,
    warmupMs: 2,
    targetPct: 5,
    cellCapMs: 30,
    expressSession,
  })
  // MemoryStore's length() is all() counted, so it fails with it.
  expect(cells.map((cell) => `${cell.operation} ${cell.sessions}`)).toEqual(['get 20'])
  expect(failures.map((failure) => `${failure.operation} ${failure.sessions} ${failure.error}`)).toEqual([
    'length 20 all() is not supported',
    'all 20 all() is not supported',
    'set 40 store full',
  ])
})

test('the bench runs growth when asked, and records its settings', async () => {
  const report = await runBench({
    stores: ['memory'],
    ...TINY_BENCH,
    growth: [20],
  })
  expect(report.settings.growth).toEqual({ sessions: [20], payload: '256B' })
  expect(report.growth.map((cell) => cell.operation)).toEqual(['get', 'length', 'all'])
})

/**
 * A store whose client refuses calls past 8 in flight instead of queueing them (as memcached's
 * pool does while connecting).
 */
const poolOfEight = defineAdapter({
  name: 'pool-of-8',
  package: 'express-session',
  pinned: {},
  capabilities: {},
  isolation: 'a MemoryStore of its own',
  async open({ session }) {
    const store = new session.MemoryStore()
    const get = store.get.bind(store)
    let inFlight = 0
    store.get = (sid, callback) => {
      if (inFlight >= 8)
        return void setImmediate(() => callback(new Error('The connection pool is full\n    at Jackpot.pull')))
      inFlight += 1
      get(sid, (err, value) => {
        inFlight -= 1
        callback(err, value)
      })
    }
    return { store: store as never, close: async () => {} }
  },
})

test('a store that fails under load is reported per measurement, and the rest of the bench goes on', async () => {
  const report = await runBench({
    stores: [poolOfEight, 'memory'],
    operations: ['get-hit'],
    payloads: ['256B'],
    concurrency: [1, 16],
    mixes: [],
    windowMs: 2,
    cellCapMs: 30,
  })
  // The first window that fails ends the cell: one failure, and no cell without enough windows.
  expect(report.failures).toEqual([
    {
      store: 'pool-of-8',
      target: 'store',
      operation: 'get-hit',
      payload: '256B',
      concurrency: 16,
      window: 1,
      error: 'The connection pool is full',
    },
  ])
  const cells = report.cells
    .filter((cell) => cell.target === 'store')
    .map((cell) => `${cell.store} x${cell.concurrency}`)
  expect(cells).toEqual(['pool-of-8 x1', 'memory x1', 'memory x16'])
  expect(benchMarkdown(report)).toContain('| pool-of-8 | get-hit | 256B | 16 | 1 | The connection pool is full |')
})

test('an unknown store is a usage error', async () => {
  await expect(runBench({ stores: ['cassandra'] })).rejects.toMatchObject({ code: 'SC_BAD_OPTION' })
})

test('a store module that declares its backend (upstream, a URL) is benched beside that backend’s raw client', {
  timeout: 60_000,
}, async (context) => {
  const redis = await loadAdapter('redis')
  const server = await redis.open({ session: expressSession }).catch((error: unknown) => {
    if (error instanceof BackendUnavailableError) return undefined
    throw error
  })
  if (!server?.backend) {
    expect(isRequired(requiredList([]), 'redis', 'redis'), 'redis is required here').toBe(false)
    return context.skip('redis is not available here')
  }
  context.onTestFinished(() => server.close())
  process.env.SC_TEST_REDIS_URL = server.backend.url
  context.onTestFinished(() => {
    delete process.env.SC_TEST_REDIS_URL
  })
  const [store] = await benchStores([path.join(fixtures, 'redis-upstream.mjs')], process.cwd())
  const report = await runBench({
    stores: [store as Adapter],
    ...TINY_BENCH,
  })
  expect(report.stores[0]).toMatchObject({ baseline: 'node-redis GET, SET EX, EXPIRE, DEL' })
  expect(report.cells.map((cell) => cell.target)).toEqual(['store', 'raw', 'harness'])
  expect(report.cells[0]?.overhead?.estimate).toBeGreaterThan(0)
})

test('sampling options that cannot work are a usage error before anything is opened', async () => {
  await expect(runBench({ stores: ['memory'], targetPct: 0 })).rejects.toThrow(/targetPct must be a percentage/)
  await expect(runBench({ stores: ['memory'], windowMs: -1 })).rejects.toThrow(/windowMs must be a positive/)
  await expect(runBench({ stores: ['memory'], rates: [0] })).rejects.toMatchObject({ code: 'SC_BAD_OPTION' })
})
