import type { Environment } from '../core/environment.js'
import type { StoreInfo } from '../core/types.js'
import type { MachineSteadiness } from './machine-probe.js'
import type { Measurement } from './measure.js'
import type { RequestMix } from './mix.js'
import type { BenchOperation } from './operations.js'
import type { PayloadSize } from './payloads.js'
import type { AcrossRuns } from './stats.js'

/**
 * bench.json, schema version 1. Documented in report-schema.md beside it; additive changes keep the
 * version, anything else bumps it (and parseBaseline refuses the other version).
 */
export const BENCH_SCHEMA_VERSION = 1

/** What a cell measured: the store, the same backend's raw client, or the no-op harness target. */
export type BenchTarget = 'store' | 'raw' | 'harness'

/** One target × operation × payload × concurrency, over all runs. */
export interface BenchCell {
  /** The store's name; `no-op` for the harness target. */
  readonly store: string
  readonly target: BenchTarget
  readonly operation: BenchOperation
  readonly payload: PayloadSize
  readonly concurrency: number
  /** Each run's own statistics, kept so a later comparison can test across runs. */
  readonly runs: readonly Measurement[]
  /** Medians across runs (never averages of percentiles), with their spread. */
  readonly p50: AcrossRuns
  readonly p90: AcrossRuns
  readonly p99: AcrossRuns
  /** p99.9 only when every run had enough samples for it. */
  readonly p999?: AcrossRuns
  readonly opsPerSec: AcrossRuns
  /** Store cells: median p50 of the store ÷ median p50 of its raw baseline, measured in the same runs. */
  readonly overhead?: number
  /** Store cells: the raw baseline's median ops/s in the same runs, for throughput side by side. */
  readonly rawOpsPerSec?: number
}

/** One store × operation at one number of stored sessions. */
export interface GrowthCell {
  readonly store: string
  readonly operation: GrowthOperation
  readonly sessions: number
  readonly runs: readonly Measurement[]
  readonly p50: AcrossRuns
  readonly p99: AcrossRuns
}

export const GROWTH_OPERATIONS = ['get', 'length', 'all'] as const
export type GrowthOperation = (typeof GROWTH_OPERATIONS)[number]

/** A measurement that could not be taken in one run because the target failed (e.g. under load). */
export interface BenchFailure {
  readonly store: string
  readonly target: BenchTarget
  /** A bench operation, or for growth: `set` (growing the store), `get`, `length` or `all`. */
  readonly operation: BenchOperation | GrowthOperation | 'set'
  readonly payload: PayloadSize
  readonly concurrency: number
  /** 1-based. */
  readonly run: number
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
  readonly runs: number
  readonly timeMs: number
  readonly warmupMs: number
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
}

export interface BenchReport {
  readonly schemaVersion: typeof BENCH_SCHEMA_VERSION
  readonly tool: { readonly name: string; readonly version: string }
  readonly generatedAt: string
  readonly environment: Environment & { readonly tinybench: string; readonly expressSession: string }
  readonly settings: BenchSettings
  /** How steady the machine was: a fixed CPU task timed before every fourth cell in every run. */
  readonly steadiness?: MachineSteadiness
  readonly stores: readonly BenchStore[]
  readonly cells: readonly BenchCell[]
  readonly growth: readonly GrowthCell[]
  /** Measurements that failed; a cell keeps only the runs that succeeded, and none without any. */
  readonly failures: readonly BenchFailure[]
}
