import type { Interval } from './interval.js'

/** What the knee is read from: one offered rate's figures. */
export interface RatePoint {
  readonly ratePerSec: number
  readonly opsPerSec: Interval
  readonly saturated: boolean
}

/** Served below this share of what was offered, a target has fallen behind its arrivals. */
export const KEEPS_UP = 0.95

/**
 * The knee of a saturation sweep: the highest offered rate the target still kept up with (it
 * served at least 95 % of it and never stopped starting calls), provided every lower rate kept
 * up too. Undefined when even the lowest rate was too much.
 */
export function kneeOf(points: readonly RatePoint[]): number | undefined {
  let knee: number | undefined
  for (const point of [...points].sort((a, b) => a.ratePerSec - b.ratePerSec)) {
    if (point.saturated || point.opsPerSec.estimate < KEEPS_UP * point.ratePerSec) break
    knee = point.ratePerSec
  }
  return knee
}
