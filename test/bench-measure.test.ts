import { expect, test } from 'vitest'
import { measure } from '../bench/measure.js'

// Structure and accounting only: how fast things are is the benchmark's business, not a test's.
const tick = () => new Promise((resolve) => setImmediate(resolve))

test('a latency measurement has ordered percentiles, samples and a wall-clock throughput', async () => {
  const result = await measure('tick', tick, { timeMs: 50, iterations: 100, warmupMs: 10 })
  expect(result.concurrency).toBe(1)
  expect(result.latency.samples).toBeGreaterThanOrEqual(100)
  const { min, p50, p90, p99, max } = result.latency
  expect(min <= p50 && p50 <= p90 && p90 <= p99 && p99 <= max).toBe(true)
  expect(result.opsPerSec).toBeCloseTo(result.latency.samples / (result.wallMs / 1000), 6)
})

test('GC pauses inside the measuring window are counted', async () => {
  // Each call allocates a few MB of short-lived objects: the young generation must be collected.
  const allocate = async () => {
    const garbage = Array.from({ length: 50_000 }, (_, i) => ({ i, text: `item-${i}` }))
    await tick()
    return garbage.length
  }
  const result = await measure('allocate', allocate, { timeMs: 100, iterations: 20, warmupMs: 0 })
  expect(result.gc.count).toBeGreaterThan(0)
  expect(result.gc.totalMs).toBeGreaterThan(0)
})

test('at concurrency 64 the calls overlap: aggregate throughput exceeds one call at a time', async () => {
  // Each call waits 5 ms on a timer: one at a time that is at most 200 calls/s; 64 in flight, far more.
  const wait = () => new Promise((resolve) => setTimeout(resolve, 5))
  const result = await measure('wait', wait, { timeMs: 200, iterations: 0, concurrency: 64, warmupMs: 0 })
  expect(result.concurrency).toBe(64)
  expect(result.opsPerSec).toBeGreaterThan(1000)
  expect(result.latency.p50).toBeGreaterThanOrEqual(4)
})
