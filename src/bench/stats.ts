import { errorFunction, mean, median, quantileSorted, sampleStandardDeviation } from 'simple-statistics'

/** p99.9 is reported only from this many samples on; below that it is just the interpolated maximum. */
export const P999_MIN_SAMPLES = 1000

/** One measurement's latency distribution (ms). Percentiles use linear interpolation (R-7, as numpy and tinybench). */
export interface LatencySummary {
  readonly samples: number
  readonly mean: number
  readonly sd: number
  /** Margin of error of the mean at 95 % (t distribution), and relative to the mean in %. */
  readonly moe: number
  readonly rme: number
  readonly min: number
  readonly max: number
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly p999?: number
}

export function summarizeLatency(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) throw new RangeError('no samples to summarise')
  const sorted = [...samples].sort((a, b) => a - b)
  const n = sorted.length
  const avg = mean(sorted)
  const sd = n > 1 ? sampleStandardDeviation(sorted) : 0
  const moe = n > 1 ? tCritical95(n - 1) * (sd / Math.sqrt(n)) : 0
  return {
    samples: n,
    mean: avg,
    sd,
    moe,
    rme: avg === 0 ? 0 : (moe / avg) * 100,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    ...(n >= P999_MIN_SAMPLES ? { p999: quantileSorted(sorted, 0.999) } : {}),
  }
}

/** Two-tailed 95 % critical values of Student's t for 1–30 degrees of freedom. */
const T_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
]

export function tCritical95(df: number): number {
  if (df < 1) throw new RangeError('degrees of freedom must be ≥ 1')
  if (df <= 30) return T_95[Math.floor(df) - 1] as number
  if (df <= 60) return 2.0
  if (df <= 120) return 1.98
  return 1.96
}

/** A value measured once per run: the median across runs and how far the runs spread. */
export interface AcrossRuns {
  readonly runs: number
  readonly median: number
  readonly min: number
  readonly max: number
  /** (max − min) / median, in %. */
  readonly spreadPct: number
}

/** Per-run values (e.g. each run's p50) → median and spread. Percentiles are never averaged. */
export function acrossRuns(values: readonly number[]): AcrossRuns {
  if (values.length === 0) throw new RangeError('no runs to combine')
  const mid = median([...values])
  const min = Math.min(...values)
  const max = Math.max(...values)
  return { runs: values.length, median: mid, min, max, spreadPct: mid === 0 ? 0 : ((max - min) / mid) * 100 }
}

export interface MannWhitney {
  /** U for the first sample (SciPy's convention). */
  readonly u: number
  /** Two-sided p-value. */
  readonly p: number
  readonly method: 'exact' | 'normal'
}

/** Largest sample pair for which the exact distribution of U is enumerated. */
const EXACT_LIMIT = 20

/**
 * Mann–Whitney U test, two-sided: exact when there are no ties and both samples are small (the
 * usual case for a handful of runs), otherwise the normal approximation with tie and continuity
 * corrections. Matches SciPy's mannwhitneyu.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) throw new RangeError('both samples need at least one value')
  const pooled = [...a.map((value) => ({ value, first: true })), ...b.map((value) => ({ value, first: false }))].sort(
    (x, y) => x.value - y.value,
  )
  const ranks = new Array<number>(pooled.length)
  const tieGroups: number[] = []
  for (let i = 0; i < pooled.length; ) {
    let j = i
    while (
      j + 1 < pooled.length &&
      (pooled[j + 1] as { value: number }).value === (pooled[i] as { value: number }).value
    )
      j++
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1
    if (j > i) tieGroups.push(j - i + 1)
    i = j + 1
  }
  const rankSumA = pooled.reduce((sum, entry, index) => (entry.first ? sum + (ranks[index] as number) : sum), 0)
  const u = rankSumA - (n1 * (n1 + 1)) / 2

  if (tieGroups.length === 0 && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) {
    const counts = uDistribution(n1, n2)
    const total = counts.reduce((sum, count) => sum + count, 0)
    const below = counts.slice(0, u + 1).reduce((sum, count) => sum + count, 0)
    const above = counts.slice(u).reduce((sum, count) => sum + count, 0)
    return { u, p: Math.min(1, (2 * Math.min(below, above)) / total), method: 'exact' }
  }

  const n = n1 + n2
  const meanU = (n1 * n2) / 2
  const tieTerm = tieGroups.reduce((sum, t) => sum + (t ** 3 - t), 0)
  const sdU = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
  if (sdU === 0) return { u, p: 1, method: 'normal' }
  const z = (Math.abs(u - meanU) - 0.5) / sdU
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: 'normal' }
}

/** The smallest two-sided p-value an exact test of these sample sizes can reach. */
export function smallestPValue(n1: number, n2: number): number {
  return 2 / binomial(n1 + n2, n1)
}

/** counts[u] = how many orderings of n1 + n2 distinct values give the first sample statistic U = u. */
function uDistribution(n1: number, n2: number): number[] {
  // f(i, j)[u]: orderings of i values from the first sample and j from the second with U = u.
  let previous: number[][] = Array.from({ length: n2 + 1 }, () => [1])
  for (let i = 1; i <= n1; i++) {
    const current: number[][] = [[1]]
    for (let j = 1; j <= n2; j++) {
      // The largest value is either from the first sample (it beats all j) or from the second.
      const withFirst = previous[j] as number[]
      const withSecond = current[j - 1] as number[]
      const size = i * j + 1
      const counts = new Array<number>(size).fill(0)
      for (let v = 0; v < withFirst.length; v++) counts[v + j] = (counts[v + j] as number) + (withFirst[v] as number)
      for (let v = 0; v < withSecond.length; v++) counts[v] = (counts[v] as number) + (withSecond[v] as number)
      current.push(counts)
    }
    previous = current
  }
  return previous[n2] as number[]
}

function binomial(n: number, k: number): number {
  let result = 1
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i
  return Math.round(result)
}

function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2))
}

export type Verdict = 'regression' | 'improvement' | 'no-change' | 'inconclusive'

export interface Comparison {
  readonly verdict: Verdict
  /** median(current) / median(baseline): above 1 is slower. */
  readonly ratio: number
  readonly p: number
  readonly method: MannWhitney['method']
  /** Why, in words. */
  readonly reason: string
}

export interface CompareOptions {
  /** Smallest relative change that matters. @default 0.10 */
  readonly minEffect?: number
  /** Significance level. @default 0.05 */
  readonly alpha?: number
}

/**
 * Compares per-run values (e.g. each run's p50) of a baseline and a current run set. A change is
 * a regression (or improvement) only when it is both larger than `minEffect` and significant; a
 * large change that the data cannot confirm is "inconclusive", never a failure.
 */
export function compareRuns(
  baseline: readonly number[],
  current: readonly number[],
  options: CompareOptions = {},
): Comparison {
  const minEffect = options.minEffect ?? 0.1
  const alpha = options.alpha ?? 0.05
  const ratio = median([...current]) / median([...baseline])
  const test = mannWhitneyU(current, baseline)
  const large = Math.abs(ratio - 1) > minEffect
  const change = `${ratio >= 1 ? '+' : '−'}${(Math.abs(ratio - 1) * 100).toFixed(1)} %`
  if (!large)
    return {
      verdict: 'no-change',
      ratio,
      p: test.p,
      method: test.method,
      reason: `${change}, within the ${minEffect * 100} % threshold`,
    }
  if (test.p >= alpha) {
    const cannot = test.method === 'exact' && smallestPValue(current.length, baseline.length) >= alpha
    return {
      verdict: 'inconclusive',
      ratio,
      p: test.p,
      method: test.method,
      reason: cannot
        ? `${change}, but ${baseline.length} vs ${current.length} runs cannot reach p < ${alpha}: add runs`
        : `${change}, but not significant (p = ${test.p.toFixed(3)}): too noisy to tell`,
    }
  }
  return {
    verdict: ratio > 1 ? 'regression' : 'improvement',
    ratio,
    p: test.p,
    method: test.method,
    reason: `${change}, significant (p = ${test.p.toFixed(3)}, ${test.method} Mann–Whitney U)`,
  }
}
