import { expect, test } from 'vitest'
import { measure } from '../src/bench/measure.js'

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

test('at concurrency 64 the window is 64 calls in flight for its whole time, not one burst of 64', async () => {
  // Each call waits 5 ms on a timer: one at a time that is at most 200 calls/s; 64 in flight, far more.
  const wait = () => new Promise((resolve) => setTimeout(resolve, 5))
  // The default minimum (64 samples) is what the bench uses: tinybench would read it as a maximum.
  const result = await measure('wait', wait, { timeMs: 200, concurrency: 64, warmupMs: 0 })
  expect(result.concurrency).toBe(64)
  expect(result.latency.samples).toBeGreaterThan(64 * 10)
  expect(result.wallMs).toBeGreaterThanOrEqual(190)
  expect(result.opsPerSec).toBeGreaterThan(1000)
  expect(result.latency.p50).toBeGreaterThanOrEqual(4)
})

test('untimed preparation is left out of ops/s: a costly beforeEach does not make a fast call look slow', async () => {
  // 2 ms of preparation before a call that settles at once: counted in, ops/s could not pass 500.
  const prepare = () => new Promise((resolve) => setTimeout(resolve, 2))
  const result = await measure('instant', async () => {}, {
    timeMs: 5,
    iterations: 20,
    warmupMs: 0,
    beforeEach: prepare,
  })
  expect(result.wallMs - result.busyMs).toBeGreaterThanOrEqual(20 * 2 - 1)
  expect(result.opsPerSec).toBeGreaterThan(5000)
})

test('with calls in flight, ops/s cannot exceed what the work allows (queueing is not preparation)', async () => {
  // Each call holds the one JavaScript thread for 0.1 ms: at most 10 000 calls/s, however many are in flight.
  const cpu = async () => {
    await Promise.resolve()
    const until = performance.now() + 0.1
    while (performance.now() < until);
  }
  const result = await measure('cpu', cpu, { timeMs: 100, concurrency: 64, warmupMs: 0, beforeEach: async () => {} })
  expect(result.opsPerSec).toBeLessThan(10_000 * 1.05)
})

test('a window is capped in wall-clock time even when calls settle in microtasks and timers never fire', async () => {
  // tinybench counts only timed calls towards `time`: 10 ms of ~1 µs calls would be ~10k calls,
  // each after 0.1 ms of busy preparation, i.e. about a second, without the cap.
  const busy = async () => {
    const until = performance.now() + 0.1
    while (performance.now() < until);
  }
  const result = await measure('fast', async () => {}, {
    timeMs: 10,
    iterations: 1,
    warmupMs: 0,
    maxWallMs: 50,
    beforeEach: busy,
  })
  expect(result.wallMs).toBeLessThan(500)
  expect(result.latency.samples).toBeGreaterThan(0)
})

test('the cap never cuts a window below its minimum samples', async () => {
  const slow = () => new Promise((resolve) => setTimeout(resolve, 3))
  const result = await measure('slow', slow, { timeMs: 5, iterations: 20, warmupMs: 0, maxWallMs: 10 })
  expect(result.latency.samples).toBeGreaterThanOrEqual(20)
})

test('a call that never settles fails the measurement instead of hanging it', async () => {
  let calls = 0
  const hangsOnThird = () => (++calls === 3 ? new Promise(() => {}) : Promise.resolve())
  await expect(measure('hang', hangsOnThird, { timeMs: 5, warmupMs: 0, stallMs: 300 })).rejects.toThrow(
    /hang: no call settled within 300 ms/,
  )
})
