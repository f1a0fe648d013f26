import type { Measurement } from '../../src/bench/measure.js'

/** A window whose every latency figure is `ms` (synthetic data for the interval and gate tests). */
export function windowOf(ms: number): Measurement {
  return {
    latency: { samples: 100, min: ms, max: ms, mean: ms, p50: ms, p90: ms, p99: ms },
    concurrency: 1,
    wallMs: 25,
    busyMs: 25,
    opsPerSec: 1000 / ms,
    gc: { count: 0, totalMs: 0 },
  }
}
