import { performance } from 'node:perf_hooks'
import { latencyFigures } from './latency.js'
import type { Measurement } from './measure.js'

export interface OpenLoopOptions {
  /** Calls started per second, on a fixed schedule whatever the target does. */
  readonly ratePerSec: number
  readonly durationMs: number
  /** Calls unanswered at once past which the target is saturated: no more are started. @default 10 000 */
  readonly maxInFlight?: number
  /** After the window, how long the last calls may take to settle before the window fails (ms). @default 10 000 */
  readonly stallMs?: number
}

/** One open-loop window: what was offered, what was served, and latency from each call's intended start. */
export interface OpenLoopMeasurement extends Measurement {
  readonly offeredPerSec: number
  /** The most calls unanswered at once. */
  readonly peakInFlight: number
  /** The target fell so far behind that calls stopped being started (maxInFlight reached). */
  readonly saturated: boolean
}

/**
 * Calls `call` at a constant arrival rate — call i is due at start + i / rate, started then
 * even if earlier calls are still unanswered — and times each from when it was due, not from
 * when it could be started. So a target that stalls is charged for every call that should have
 * started during the stall, as users arriving at that rate would be (Gil Tene's coordinated
 * omission: a closed loop sends nothing while it waits, and its percentiles never see the stall).
 */
export async function openLoop(
  call: (index: number) => Promise<unknown>,
  options: OpenLoopOptions,
): Promise<OpenLoopMeasurement> {
  const perMs = options.ratePerSec / 1000
  const maxInFlight = options.maxInFlight ?? 10_000
  const latencies: number[] = []
  const pending = new Set<Promise<unknown>>()
  let failure: { error: unknown } | undefined
  let peak = 0
  let saturated = false
  let started = 0
  const start = performance.now()
  const end = start + options.durationMs
  while (!failure && !saturated) {
    const now = performance.now()
    if (now >= end) break
    const due = Math.min(Math.floor((now - start) * perMs) + 1, Math.ceil(options.durationMs * perMs))
    while (started < due) {
      if (pending.size >= maxInFlight) {
        saturated = true
        break
      }
      const intended = start + started / perMs
      const settled: Promise<unknown> = call(started).then(
        () => void latencies.push(performance.now() - intended),
        (error: unknown) => {
          failure ??= { error }
        },
      )
      pending.add(settled)
      void settled.finally(() => pending.delete(settled))
      started += 1
      peak = Math.max(peak, pending.size)
    }
    await nextTick(start + started / perMs - performance.now())
  }
  await settleWithin([...pending], options.stallMs ?? 10_000)
  if (failure) throw failure.error
  const wallMs = performance.now() - start
  if (latencies.length === 0) throw new Error('no call was answered in the open-loop window')
  return {
    latency: latencyFigures(latencies),
    concurrency: peak,
    wallMs,
    busyMs: wallMs,
    opsPerSec: latencies.length / (wallMs / 1000),
    gc: { count: 0, totalMs: 0 },
    offeredPerSec: options.ratePerSec,
    peakInFlight: peak,
    saturated,
  }
}

/** Waits until the next call is due: a timer when that is a millisecond or more away, else the next turn. */
function nextTick(inMs: number): Promise<void> {
  return new Promise((resolve) => (inMs >= 1 ? setTimeout(resolve, Math.floor(inMs)) : setImmediate(resolve)))
}

async function settleWithin(pending: readonly Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      Promise.all(pending),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`calls still unanswered ${ms} ms after the window`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}
