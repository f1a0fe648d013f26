/** The confidence every interval in a bench report is stated at. */
export const CONFIDENCE = 0.95

/**
 * The fewest values a distribution-free 95 % interval of the median can come from: with 5, even
 * [min, max] covers the median only 94 % of the time (1 − 2 / 2⁵).
 */
export const MIN_WINDOWS = 6

/** A figure with its 95 % confidence interval. */
export interface Interval {
  readonly estimate: number
  readonly low: number
  readonly high: number
  /** The interval's wider side relative to the estimate, in %: the ± a reader quotes. */
  readonly halfWidthPct: number
  /** How many independent values (windows or pairs of windows) it comes from. */
  readonly n: number
}

/**
 * The median of per-window values and its 95 % confidence interval from order statistics (the
 * binomial method; no assumption about the distribution, robust to a window a GC pause or the
 * machine spoiled). Windows, not samples, are the unit: calls within one window are not
 * independent of each other, windows seconds apart are closer to it.
 */
export function medianInterval(values: readonly number[]): Interval {
  const n = values.length
  if (n < MIN_WINDOWS) throw new RangeError(`a 95 % interval of the median needs ${MIN_WINDOWS} values, got ${n}`)
  const sorted = [...values].sort((a, b) => a - b)
  const rank = lowerRank(n)
  const estimate =
    n % 2 === 1 ? (sorted[n >> 1] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2
  const low = sorted[rank - 1] as number
  const high = sorted[n - rank] as number
  return { estimate, low, high, halfWidthPct: relativeHalfWidth(estimate, low, high), n }
}

/** The interval of a figure derived from a measured one by a monotonic function (e.g. 1 / x). */
export function mapInterval(interval: Interval, fn: (value: number) => number): Interval {
  const ends = [fn(interval.low), fn(interval.high)].sort((a, b) => a - b) as [number, number]
  const estimate = fn(interval.estimate)
  return { ...interval, estimate, low: ends[0], high: ends[1], halfWidthPct: relativeHalfWidth(estimate, ...ends) }
}

/** True when the interval is within ±`targetPct` % of its estimate. */
export function isResolved(interval: Interval, targetPct: number): boolean {
  return interval.halfWidthPct <= targetPct
}

function relativeHalfWidth(estimate: number, low: number, high: number): number {
  if (estimate === 0) return low === 0 && high === 0 ? 0 : Number.POSITIVE_INFINITY
  return (Math.max(estimate - low, high - estimate) / Math.abs(estimate)) * 100
}

/**
 * The largest k for which [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] covers the median with at least 95 %: P(Bin(n, ½) < k)
 * ≤ 2.5 % on each side. Computed in logs so it holds for thousands of values.
 */
function lowerRank(n: number): number {
  const tail = (1 - CONFIDENCE) / 2
  let logPmf = -n * Math.LN2
  let cumulative = 0
  let k = 0
  while (k < n) {
    const next = cumulative + Math.exp(logPmf)
    if (next > tail) break
    cumulative = next
    logPmf += Math.log((n - k) / (k + 1))
    k += 1
  }
  return Math.max(1, k)
}
