import type { AcrossRuns } from '../../bench/stats.js'

/** Milliseconds with about three significant figures. */
export function formatMs(value: number): string {
  return value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3)
}

/** A duration in the unit that reads best: µs below a millisecond. */
export function formatDuration(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs` : `${formatMs(ms)} ms`
}

/** A median across runs and its spread: "0.123 (±4 %)", the spread being half the range. */
export function formatAcrossRuns(value: AcrossRuns): string {
  return `${formatMs(value.median)} (±${Math.round(value.spreadPct / 2)} %)`
}

export function formatRatio(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(value >= 10 ? 0 : 1)}×`
}
