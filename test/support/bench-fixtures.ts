import type { HttpBenchOptions } from '../../src/api/http-bench/run-http-bench.js'
import type { Measurement } from '../../src/bench/measure.js'
import type { BenchReport } from '../../src/bench/report.js'
import type { BenchOptions } from '../../src/bench/run-bench.js'

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

/** The smallest real bench: one operation at one size, one call in flight, no mix, tiny windows and cap. */
export const TINY_BENCH = {
  operations: ['get-hit'],
  payloads: ['256B'],
  concurrency: [1],
  mixes: [],
  windowMs: 2,
  cellCapMs: 30,
} as const satisfies Partial<BenchOptions>

/** The smallest real HTTP bench: MemoryStore beside the baselines, browsing only, two connections, tiny windows. */
export const TINY_HTTP = {
  stores: [{ name: 'memory', spec: 'memory' }],
  scenarios: ['browse'],
  connections: 2,
  windowMs: 40,
  cellCapMs: 1,
} as const satisfies HttpBenchOptions

/** A bench report with nothing measured, for tests that put in only what they test. */
export const EMPTY_REPORT: BenchReport = {
  schemaVersion: 2,
  tool: { name: 'store-conformance', version: '0' },
  generatedAt: new Date(0).toISOString(),
  environment: { node: '', platform: '', cpu: '', cpus: 1, tinybench: '6', hdrHistogram: '3', expressSession: '1' },
  settings: {
    windowMs: 25,
    warmupMs: 25,
    targetPct: 5,
    cellCapMs: 1500,
    confidence: 0.95,
    significantDigits: 3,
    operations: ['get-hit'],
    payloads: ['4KB'],
    concurrency: [1],
    closedLoop: true,
    loadPayload: '4KB',
    mixes: [],
    poolSize: 1,
    quick: false,
  },
  stores: [],
  cells: [],
  growth: [],
  openLoop: [],
  failures: [],
}
