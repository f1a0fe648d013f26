import { PerformanceObserver, performance } from 'node:perf_hooks'
import { Bench } from 'tinybench'
import { summarizeLatency, type LatencySummary } from './stats.js'

export interface MeasureOptions {
  /** Minimum measuring time (ms). */
  readonly timeMs: number
  /** Minimum number of samples. @default 64 */
  readonly iterations?: number
  /** Calls in flight: 1 measures latency; more is a closed-loop throughput run. @default 1 */
  readonly concurrency?: number
  /** Untimed calls first, so JIT and connection warm-up are not measured. @default 200 ms */
  readonly warmupMs?: number
  /**
   * Wall-clock cap on the measuring window (ms). tinybench counts only timed calls towards
   * `timeMs`, so a very fast call with a costly beforeEach would otherwise run on for seconds.
   * @default 4 × timeMs, at least 100 ms
   */
  readonly maxWallMs?: number
  /** Untimed preparation before each call (e.g. creating the session a destroy will remove). */
  readonly beforeEach?: () => Promise<unknown>
}

/** One measured operation. */
export interface Measurement {
  readonly latency: LatencySummary
  readonly concurrency: number
  readonly wallMs: number
  /** Time spent in the untimed beforeEach inside the window (ms, summed over every call in flight). */
  readonly setupMs: number
  /**
   * samples ÷ the window's wall time less its untimed preparation (setupMs ÷ concurrency):
   * tinybench's per-sample throughput is not this under concurrency.
   */
  readonly opsPerSec: number
  /** Garbage-collection pauses that fell inside the measuring window. */
  readonly gc: { readonly count: number; readonly totalMs: number }
}

/**
 * Measures `fn` with tinybench: latency samples from tinybench, and the wall time and GC pauses
 * of the measuring window from us. At concurrency > 1, `concurrency` calls stay in flight
 * (closed loop: each starts when one finishes, so stalls are under-counted — label it so).
 */
export async function measure(name: string, fn: () => Promise<unknown>, options: MeasureOptions): Promise<Measurement> {
  const concurrency = options.concurrency ?? 1
  const warmupEnd = performance.now() + (options.warmupMs ?? 200)
  while (performance.now() < warmupEnd) {
    await options.beforeEach?.()
    await fn()
  }

  const deadline = Object.assign(new AbortController(), { at: performance.now() + (options.maxWallMs ?? Math.max(100, 4 * options.timeMs)) })
  const bench = new Bench({
    name,
    time: options.timeMs,
    iterations: options.iterations ?? 64,
    warmup: false,
    retainSamples: true,
    signal: deadline.signal,
    throws: true,
    // Always bounded in flight: tinybench's default threshold is Infinity (tinybench#83).
    ...(concurrency > 1 ? { concurrency: 'task' as const, threshold: concurrency } : {}),
  })
  const beforeEach = options.beforeEach
  let setupMs = 0
  // Checked between calls, not by a timer: calls that settle in microtasks never let a timer fire.
  const timedBeforeEach = async () => {
    if (performance.now() > deadline.at) deadline.abort()
    if (!beforeEach) return
    const start = performance.now()
    await beforeEach()
    setupMs += performance.now() - start
  }
  bench.add(name, fn, { async: true, beforeEach: timedBeforeEach })
  const gc = watchGc()
  const started = performance.now()
  try {
    await bench.run()
  } catch (error) {
    // Under concurrency tinybench wraps what the calls threw; the first is what the store said.
    throw error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error
  } finally {
    gc.stop()
  }
  const wallMs = performance.now() - started
  const pauses = gc.totals()

  const result = bench.tasks[0]?.result
  const finished = result?.state === 'completed' || result?.state === 'aborted-with-statistics'
  if (!result || !finished) throw new Error(`${name}: the benchmark did not complete (${result?.state ?? 'no task'})`)
  const samples = result.latency.samples ?? []
  // Preparation overlaps other calls' timed work when several are in flight: subtract its share.
  const busyMs = Math.max(wallMs - setupMs / concurrency, Number.EPSILON)
  return { latency: summarizeLatency(samples), concurrency, wallMs, setupMs, opsPerSec: samples.length / (busyMs / 1000), gc: pauses }
}

function watchGc(): { stop(): void; totals(): { count: number; totalMs: number } } {
  let count = 0
  let totalMs = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      count += 1
      totalMs += entry.duration
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return {
    stop: () => observer.disconnect(),
    totals: () => ({ count, totalMs }),
  }
}
