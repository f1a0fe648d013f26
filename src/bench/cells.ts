import { type Interval, MIN_WINDOWS, medianInterval } from './interval.js'
import type { Measurement } from './measure.js'

/**
 * The figure a cell is sampled for and its ratio is taken on: the p50 of one operation, the mean
 * of a request mix (a mix is two kinds of request, and at write-heavy's even split its median
 * jumps between them from window to window; the mean is what a request costs on average), and
 * the throughput of an HTTP setup (what a store costs a server is the requests it no longer serves).
 */
export type Headline = 'p50' | 'mean' | 'opsPerSec'

/** A window's value of the headline figure. */
export function headlineValue(window: Measurement, headline: Headline): number {
  return headline === 'opsPerSec' ? window.opsPerSec : window.latency[headline]
}

/** The headlines of store-call cells: latency. */
export type LatencyHeadline = Exclude<Headline, 'opsPerSec'>

export function headlineOf(operation: string): LatencyHeadline {
  return operation.startsWith('mix:') ? 'mean' : 'p50'
}

/** A cell's figures: medians over its windows, each with its 95 % interval. */
export interface CellFigures {
  readonly mean: Interval
  readonly p50: Interval
  readonly p90: Interval
  readonly p99: Interval
  /** Only when every window had enough samples for a p99.9. */
  readonly p999?: Interval
  readonly opsPerSec: Interval
}

export function figuresOf(windows: readonly Measurement[]): CellFigures {
  const p999 = windows.map((window) => window.latency.p999)
  return {
    mean: medianInterval(windows.map((window) => window.latency.mean)),
    p50: medianInterval(windows.map((window) => window.latency.p50)),
    p90: medianInterval(windows.map((window) => window.latency.p90)),
    p99: medianInterval(windows.map((window) => window.latency.p99)),
    ...(p999.every((value) => value !== undefined) ? { p999: medianInterval(p999) } : {}),
    opsPerSec: medianInterval(windows.map((window) => window.opsPerSec)),
  }
}

/** One side of a sampled cell, with enough windows for its intervals. */
export interface SideFigures {
  readonly windows: readonly Measurement[]
  readonly figures: CellFigures
}

/**
 * What a sampled cell can report: each side that has enough windows for a 95 % interval (a cell
 * a failure ended early may have too few) and, when both sides do, the store's headline ÷ the
 * raw side's, pair by pair.
 */
export function sidesOf(
  sampled: { readonly store: readonly Measurement[]; readonly raw?: readonly Measurement[] | undefined },
  headline: Headline,
): { readonly store?: SideFigures; readonly raw?: SideFigures; readonly ratio?: Interval } {
  const side = (windows: readonly Measurement[] | undefined) =>
    windows && windows.length >= MIN_WINDOWS ? { windows, figures: figuresOf(windows) } : undefined
  const store = side(sampled.store)
  const raw = side(sampled.raw)
  return {
    ...(store ? { store } : {}),
    ...(raw ? { raw } : {}),
    ...(store && raw ? { ratio: overheadOf(store.windows, raw.windows, headline) } : {}),
  }
}

/**
 * The store's headline figure ÷ the raw client's, pair by pair (window i of each side, measured
 * back to back), then the median of those ratios and its interval: the machine's drift between
 * pairs cancels out.
 */
export function overheadOf(
  store: readonly Measurement[],
  raw: readonly Measurement[],
  headline: Headline = 'p50',
): Interval {
  const pairs = Math.min(store.length, raw.length)
  const figure = (window: Measurement | undefined) => headlineValue(window as Measurement, headline)
  return medianInterval(Array.from({ length: pairs }, (_, index) => figure(store[index]) / figure(raw[index])))
}
