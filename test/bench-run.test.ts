import { expect, test } from 'vitest'
import { defineAdapter } from '../src/backends/define.js'
import { measureGrowth } from '../src/bench/growth.js'
import { MIXES } from '../src/bench/mix.js'
import { runBench } from '../src/bench/run-bench.js'
import { expressSession } from '../src/core/express-session.js'
import { benchMarkdown } from '../src/reporters/bench/markdown.js'

// Structure only: what the numbers are is the benchmark's business, not a test's.
test('a tiny bench: store, raw baseline and harness each run; an unavailable backend is reported', async (context) => {
  const report = await runBench({
    stores: ['memory', 'mongo'],
    operations: ['get-hit', 'set-new'],
    payloads: ['256B'],
    concurrency: [1, 4],
    mixes: [MIXES['read-heavy'] as (typeof MIXES)[string]],
    runs: 2,
    timeMs: 10,
  })
  expect(report).toMatchObject({
    schemaVersion: 1,
    settings: {
      runs: 2,
      concurrency: [1, 4],
      closedLoop: true,
      loadPayload: '256B',
      mixes: [{ name: 'read-heavy', readShare: 0.9 }],
    },
    environment: { tinybench: expect.stringMatching(/^6\./), expressSession: expect.stringMatching(/^1\./) },
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
  // The raw baseline is measured in the same runs, and every store cell is set against it.
  expect(report.stores.find((store) => store.name === 'memory')?.baseline).toBe(
    'JSON text with an expiry in a Map; touch moves the expiry',
  )
  for (const cell of report.cells.filter((entry) => entry.target === 'store')) {
    const raw = report.cells.find(
      (entry) => entry.target === 'raw' && entry.operation === cell.operation && entry.concurrency === cell.concurrency,
    )
    expect(raw?.runs).toHaveLength(2)
    expect(cell.overhead).toBeCloseTo(cell.p50.median / (raw?.p50.median ?? Number.NaN), 10)
    expect(cell.rawOpsPerSec).toBe(raw?.opsPerSec.median)
  }
  for (const cell of report.cells) {
    expect(cell.runs).toHaveLength(2)
    expect(cell.p50.runs).toBe(2)
    expect(cell.p50.median).toBeGreaterThan(0)
    expect(cell.opsPerSec.median).toBeGreaterThan(0)
  }
  // The machine's own steadiness: probed before the 1st and 5th of the 6 cells, in each of 2 runs.
  expect(report.steadiness).toMatchObject({ p50: { runs: 2 * 2 }, drift: expect.any(Number) })
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
    runs: 2,
    timeMs: 5,
    warmupMs: 2,
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
  for (const cell of cells) expect(cell.runs).toHaveLength(2)
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
    runs: 1,
    timeMs: 5,
    warmupMs: 2,
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
    operations: ['get-hit'],
    payloads: ['256B'],
    concurrency: [1],
    mixes: [],
    runs: 1,
    timeMs: 5,
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
    runs: 2,
    timeMs: 5,
  })
  expect(report.failures).toEqual(
    [1, 2].map((run) => ({
      store: 'pool-of-8',
      target: 'store',
      operation: 'get-hit',
      payload: '256B',
      concurrency: 16,
      run,
      error: 'The connection pool is full',
    })),
  )
  const cells = report.cells
    .filter((cell) => cell.target === 'store')
    .map((cell) => `${cell.store} x${cell.concurrency}`)
  expect(cells).toEqual(['pool-of-8 x1', 'memory x1', 'memory x16'])
  expect(benchMarkdown(report)).toContain('| pool-of-8 | get-hit | 256B | 16 | 2 of 2 | The connection pool is full |')
})

test('an unknown store is a usage error', async () => {
  await expect(runBench({ stores: ['cassandra'] })).rejects.toMatchObject({ code: 'SC_BAD_OPTION' })
})
