import { expect, test } from 'vitest'
import { runBench } from '../bench/run-bench.js'

// Structure only: what the numbers are is the benchmark's business, not a test's.
test('a tiny bench measures each cell in every run, and reports an unavailable backend as not measured', async (context) => {
  const report = await runBench({ stores: ['memory', 'mongo'], operations: ['get-hit', 'set-new'], payloads: ['256B'], concurrency: [1, 4], runs: 2, timeMs: 10 })
  expect(report).toMatchObject({ schemaVersion: 1, settings: { runs: 2, concurrency: [1, 4], closedLoop: true }, environment: { tinybench: expect.stringMatching(/^6\./) } })
  expect(report.cells.map((cell) => `${cell.store} ${cell.target} ${cell.operation} ${cell.payload} x${cell.concurrency}`)).toEqual([
    'memory store get-hit 256B x1',
    'memory store get-hit 256B x4',
    'memory store set-new 256B x1',
    'memory store set-new 256B x4',
    'memory raw get-hit 256B x1',
    'memory raw get-hit 256B x4',
    'memory raw set-new 256B x1',
    'memory raw set-new 256B x4',
  ])
  // The raw baseline is measured in the same runs, and every store cell is set against it.
  expect(report.stores.find((store) => store.name === 'memory')?.baseline).toBe('JSON.stringify/parse into a Map')
  for (const cell of report.cells.filter((entry) => entry.target === 'store')) {
    const raw = report.cells.find((entry) => entry.target === 'raw' && entry.operation === cell.operation && entry.concurrency === cell.concurrency)
    expect(cell.overhead).toBeCloseTo(cell.p50.median / (raw?.p50.median ?? Number.NaN), 10)
  }
  for (const cell of report.cells) {
    expect(cell.runs).toHaveLength(2)
    expect(cell.p50.runs).toBe(2)
    expect(cell.p50.median).toBeGreaterThan(0)
    expect(cell.opsPerSec.median).toBeGreaterThan(0)
  }
  const mongo = report.stores.find((store) => store.name === 'mongo')
  if (!mongo?.unavailable) context.skip('MongoDB is available here: nothing unavailable to report')
  expect(mongo?.unavailable).toMatch(/mongo is not available: .*MONGO_URL/)
})

test('an unknown store is a usage error', async () => {
  await expect(runBench({ stores: ['cassandra'] })).rejects.toMatchObject({ code: 'SC_BAD_OPTION' })
})
