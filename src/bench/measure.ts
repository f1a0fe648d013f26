import { performance } from 'node:perf_hooks'
import { Bench } from 'tinybench'
import { BusyTime } from './busy-time.js'
import { collectGarbage } from './collect-garbage.js'
import { type GcPauses, watchGc } from './gc-watch.js'
import { type LatencyFigures, latencyFigures } from './latency.js'

export interface MeasureOptions {
  /** Measuring time (ms): a minimum one call at a time, the window's length with more in flight. */
  readonly timeMs: number
  /** Minimum number of samples one call at a time (tinybench's `iterations`). @default 64 */
  readonly iterations?: number
  /** Calls in flight: 1 measures latency; more is a closed-loop throughput run. @default 1 */
  readonly concurrency?: number
  /** Untimed calls first, at the same concurrency, so JIT, pools and connections are warm. @default 200 ms */
  readonly warmupMs?: number
  /** A full garbage collection before the warm-up, so the window does not pay for garbage left before it. */
  readonly collectGarbage?: boolean
  /**
   * Wall-clock cap on the window (ms), applied once the minimum samples are taken. tinybench
   * counts only timed calls towards `timeMs` one at a time, so a fast call with a costly
   * beforeEach would otherwise run on for seconds. @default 4 × timeMs, at least 100 ms
   */
  readonly maxWallMs?: number
  /** A measurement in which no call settles for this long fails instead of hanging. @default 10 000 ms */
  readonly stallMs?: number
  /** Untimed preparation before each call (e.g. creating the session a destroy will remove). */
  readonly beforeEach?: () => Promise<unknown>
}

/** One window of one measured operation. */
export interface Measurement {
  readonly latency: LatencyFigures
  readonly concurrency: number
  readonly wallMs: number
  /** Wall time with at least one timed call in flight: wallMs less untimed preparation. */
  readonly busyMs: number
  /** samples ÷ busyMs: tinybench's per-sample throughput is not this under concurrency. */
  readonly opsPerSec: number
  /** Garbage-collection pauses that started inside the measuring window. */
  readonly gc: GcPauses
}

/**
 * Measures `fn` with tinybench: latency samples from tinybench; wall time, busy time and GC
 * pauses of the window from us. At concurrency > 1, `concurrency` calls stay in flight for
 * `timeMs` (closed loop: each starts when one finishes, so stalls are under-counted — label it so).
 */
export async function measure(name: string, fn: () => Promise<unknown>, options: MeasureOptions): Promise<Measurement> {
  const concurrency = options.concurrency ?? 1
  const minimum = options.iterations ?? 64
  const stall = stallWatch(name, options.stallMs ?? 10_000)
  try {
    if (options.collectGarbage) collectGarbage()
    await Promise.race([warmUp(fn, options, concurrency, stall.progress), stall.stalled])

    const busy = new BusyTime()
    const timed = options.beforeEach ? busy.wrap(fn) : fn
    const deadline = Object.assign(new AbortController(), {
      at: performance.now() + (options.maxWallMs ?? Math.max(100, 4 * options.timeMs)),
    })
    const bench = new Bench({
      name,
      time: options.timeMs,
      // One at a time `iterations` is a minimum; with calls in flight tinybench reads it as a
      // maximum (a single burst), so there the window is bounded by time alone.
      iterations: concurrency > 1 ? 0 : minimum,
      warmup: false,
      retainSamples: true,
      signal: deadline.signal,
      throws: true,
      // Always bounded in flight: tinybench's default threshold is Infinity (tinybench#83).
      ...(concurrency > 1 ? { concurrency: 'task' as const, threshold: concurrency } : {}),
    })
    let started = 0
    // Checked between calls, not by a timer: calls that settle in microtasks never let a timer fire.
    const beforeEach = async () => {
      stall.progress()
      if (++started > minimum && performance.now() > deadline.at) deadline.abort()
      await options.beforeEach?.()
    }
    bench.add(name, timed, { async: true, beforeEach })
    const gc = watchGc()
    const from = performance.now()
    let wallMs = 0
    let pauses: GcPauses
    try {
      await Promise.race([bench.run(), stall.stalled])
      wallMs = performance.now() - from
    } catch (error) {
      // Under concurrency tinybench wraps what the calls threw; the first is what the store said.
      throw error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error
    } finally {
      pauses = await gc.stop()
    }

    const result = bench.tasks[0]?.result
    const finished = result?.state === 'completed' || result?.state === 'aborted-with-statistics'
    if (!result || !finished) throw new Error(`${name}: the benchmark did not complete (${result?.state ?? 'no task'})`)
    const samples = result.latency.samples ?? []
    const busyMs = options.beforeEach ? Math.min(busy.ms, wallMs) : wallMs
    return {
      latency: latencyFigures(samples),
      concurrency,
      wallMs,
      busyMs,
      opsPerSec: samples.length / (Math.max(busyMs, Number.EPSILON) / 1000),
      gc: pauses,
    }
  } finally {
    stall.stop()
  }
}

/** Untimed calls until `warmupMs` has passed, with as many in flight as the measurement will have. */
async function warmUp(
  fn: () => Promise<unknown>,
  options: MeasureOptions,
  concurrency: number,
  progress: () => void,
): Promise<void> {
  const end = performance.now() + (options.warmupMs ?? 200)
  const worker = async () => {
    while (performance.now() < end) {
      progress()
      await options.beforeEach?.()
      await fn()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/**
 * Rejects `stalled` when no call has started for `stallMs`: a store that never calls back fails
 * the measurement instead of hanging the bench.
 */
function stallWatch(name: string, stallMs: number) {
  let last = performance.now()
  let timer: NodeJS.Timeout | undefined
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(
      () => {
        if (performance.now() - last > stallMs) reject(new Error(`${name}: no call settled within ${stallMs} ms`))
      },
      Math.min(250, stallMs),
    )
  })
  stalled.catch(() => {})
  return {
    stalled,
    progress: () => {
      last = performance.now()
    },
    stop: () => clearInterval(timer),
  }
}
