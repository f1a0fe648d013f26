import type { CellFigures } from './cells.js'
import type { Interval } from './interval.js'
import type { Measurement } from './measure.js'
import type { BenchOperation } from './operations.js'
import type { PayloadSize } from './payloads.js'

/** One store (or its raw client) driven from every worker at once: throughput added across workers. */
export interface WorkersCell extends CellFigures {
  readonly store: string
  readonly target: 'store' | 'raw'
  readonly operation: BenchOperation
  readonly payload: PayloadSize
  /** Each window: the workers' windows combined (ops/s added; latency the median of theirs). */
  readonly windows: readonly Measurement[]
  readonly resolved: boolean
  readonly elapsedMs: number
  /** Store cells: the store's ops/s ÷ its raw client's, pair by pair. */
  readonly kept?: Interval
}

/** A backend's own load tool on the same server, in the same run. */
export interface CeilingCell {
  readonly store: string
  readonly backend: string
  readonly tool: string
  readonly command: string
  readonly describes: string
  /** Each run's ops/s. */
  readonly runs: readonly number[]
  readonly opsPerSec: Interval
}

export interface WorkersReport {
  readonly settings: {
    readonly workers: number
    /** Calls in flight per worker. */
    readonly concurrency: number
    readonly operation: BenchOperation
    readonly payload: PayloadSize
    readonly windowMs: number
  }
  readonly cells: readonly WorkersCell[]
  readonly ceilings: readonly CeilingCell[]
  /** Stores not driven from workers, and why (a module store, an unavailable backend). */
  readonly skipped: readonly { readonly store: string; readonly reason: string }[]
  readonly failures: readonly {
    readonly store: string
    readonly target: string
    readonly window: number
    readonly error: string
  }[]
}
