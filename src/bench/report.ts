import type { Environment } from '../core/environment.js'
import type { StoreInfo } from '../core/types.js'
import type { CellFigures, LatencyHeadline } from './cells.js'
import type { HttpReport } from './http/report.js'
import type { Interval } from './interval.js'
import type { MachineSteadiness } from './machine-probe.js'
import type { Measurement } from './measure.js'
import type { RequestMix } from './mix.js'
import type { OpenLoopMeasurement } from './open-loop.js'
import type { BenchOperation } from './operations.js'
import type { PayloadSize } from './payloads.js'
import type { WorkersReport } from './workers-report.js'

/**
 * bench.json, schema version 2 (version 1 had runs and spreads where this has windows and
 * intervals). Documented in report-schema.md beside it; additive changes keep the version,
 * anything else bumps it (and parseBaseline refuses the other version).
 */
export const BENCH_SCHEMA_VERSION = 2

/** What a cell measured: the store, the same backend's raw client, or the no-op harness target. */
export type BenchTarget = 'store' | 'raw' | 'harness'

/** One target × operation × payload × concurrency: every figure a median over windows, with its 95 % interval. */
export interface BenchCell extends CellFigures {
  /** The store's name; `no-op` for the harness target. */
  readonly store: string
  readonly target: BenchTarget
  readonly operation: BenchOperation
  readonly payload: PayloadSize
  readonly concurrency: number
  /** Each window's own statistics, in the order measured (a store's window i was paired with its raw's). */
  readonly windows: readonly Measurement[]
  /** The figure the cell was sampled for and its ratio taken on: p50, or the mean for a request mix. */
  readonly headline: LatencyHeadline
  /** Whether the headline's intervals (each side's, and with a raw baseline their ratio) reached the target. */
  readonly resolved: boolean
  /** How long the cell took to sample, both sides together (ms). */
  readonly elapsedMs: number
  /** Store cells: the store's headline figure ÷ its raw baseline's, pair by pair. */
  readonly overhead?: Interval
  /** Store cells: the raw baseline's ops/s in the same cell, for throughput side by side. */
  readonly rawOpsPerSec?: Interval
}

/**
 * One target × offered rate: the operation called at a constant arrival rate, each call timed
 * from when it was due (open loop, no coordinated omission). Rates given together are a
 * saturation sweep: latency against offered load.
 */
export interface OpenLoopCell extends CellFigures {
  readonly store: string
  readonly target: 'store' | 'raw'
  readonly operation: BenchOperation
  readonly payload: PayloadSize
  /** Calls offered per second. `opsPerSec` is what was served. */
  readonly ratePerSec: number
  readonly windows: readonly OpenLoopMeasurement[]
  readonly resolved: boolean
  readonly elapsedMs: number
  /** A window fell so far behind that it stopped starting calls: past the knee. */
  readonly saturated: boolean
  /** Store cells: the store's p50 ÷ its raw baseline's at the same rate, pair by pair. */
  readonly overhead?: Interval
}

/** One store × operation at one number of stored sessions. */
export interface GrowthCell {
  readonly store: string
  readonly operation: GrowthOperation
  readonly sessions: number
  readonly windows: readonly Measurement[]
  readonly resolved: boolean
  readonly p50: Interval
  readonly p99: Interval
}

export const GROWTH_OPERATIONS = ['get', 'length', 'all'] as const
export type GrowthOperation = (typeof GROWTH_OPERATIONS)[number]

/** A measurement that could not be taken because the target failed (e.g. under load); its cell stopped there. */
export interface BenchFailure {
  readonly store: string
  readonly target: BenchTarget
  /** A bench operation, or for growth: `set` (growing the store), `get`, `length` or `all`. */
  readonly operation: BenchOperation | GrowthOperation | 'set'
  readonly payload: PayloadSize
  readonly concurrency: number
  /** The window that failed, 1-based. */
  readonly window: number
  /** Open loop only: the offered rate (calls/s). */
  readonly ratePerSec?: number
  /** Growth only: how many sessions were stored. */
  readonly sessions?: number
  /** The first line of what the store (or client) threw or called back with. */
  readonly error: string
}

export interface BenchStore extends StoreInfo {
  readonly name: string
  /** Why this store was not measured (its backend is unavailable). */
  readonly unavailable?: string
  /** The raw baseline measured next to it, if there is one. */
  readonly baseline?: string
  /** Why its raw baseline could not be opened (the store was measured without one). */
  readonly baselineError?: string
}

export interface BenchSettings {
  /** How long one window measures one side of a cell (ms). */
  readonly windowMs: number
  /** Untimed calls before a side's first window in each round (ms); later windows warm up for a tenth of it. */
  readonly warmupMs: number
  /** A cell stops once its tracked intervals are within ±this %… */
  readonly targetPct: number
  /** …or once it has been sampled this long (ms), then reported unresolved. */
  readonly cellCapMs: number
  /** Every interval is a 95 % interval of a median over windows (order statistics). */
  readonly confidence: number
  /** Percentiles are exact to this many significant digits (HDR histogram). */
  readonly significantDigits: number
  readonly operations: readonly BenchOperation[]
  readonly payloads: readonly PayloadSize[]
  readonly concurrency: readonly number[]
  /** Every level above 1 is a closed loop: each call starts when one finishes (coordinated omission applies). */
  readonly closedLoop: true
  /** The payload the higher concurrency levels and the mixes are measured at (sizes are swept at the lowest). */
  readonly loadPayload: PayloadSize
  readonly mixes: readonly RequestMix[]
  /** Pre-seeded sessions per target and payload, picked with Zipf skew (exponent 0.99). */
  readonly poolSize: number
  readonly growth?: { readonly sessions: readonly number[]; readonly payload: PayloadSize }
  /** Whether this was a --quick run (shorter windows and caps, one payload). */
  readonly quick: boolean
  /** Open loop (`--rate`): the rates offered (calls/s), the operation, and each window's length (ms). */
  readonly openLoop?: {
    readonly rates: readonly number[]
    readonly operation: BenchOperation
    readonly windowMs: number
  }
}

export interface BenchReport {
  readonly schemaVersion: typeof BENCH_SCHEMA_VERSION
  readonly tool: { readonly name: string; readonly version: string }
  readonly generatedAt: string
  readonly environment: Environment & {
    readonly tinybench: string
    readonly hdrHistogram: string
    readonly expressSession: string
  }
  readonly settings: BenchSettings
  /** How steady the machine was: a fixed CPU task timed before every fourth cell in every run. */
  readonly steadiness?: MachineSteadiness
  readonly stores: readonly BenchStore[]
  readonly cells: readonly BenchCell[]
  readonly growth: readonly GrowthCell[]
  /** Open-loop cells, when rates were given (`--rate`). */
  readonly openLoop: readonly OpenLoopCell[]
  /** Measurements that failed; a cell that failed before it had enough windows is left out. */
  readonly failures: readonly BenchFailure[]
  /** Whole requests over HTTP (`--http`). */
  readonly http?: HttpReport
  /** Store calls driven from several processes at once, beside the backend's own ceiling (`--workers`). */
  readonly workers?: WorkersReport
}
