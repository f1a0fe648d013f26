import { ConformanceError } from '../core/errors.js'
import type { LatencyHeadline } from './cells.js'
import type { Interval } from './interval.js'
import { BENCH_SCHEMA_VERSION, type BenchCell, type BenchReport } from './report.js'

export type Verdict = 'regression' | 'improvement' | 'no-change' | 'inconclusive'

/** Which figure a comparison went by. */
export type ComparedFigure = 'overhead' | LatencyHeadline

export interface Comparison {
  readonly verdict: Verdict
  readonly figure: ComparedFigure
  /** current ÷ baseline, with the interval the two 95 % intervals allow: above 1 is slower. */
  readonly ratio: number
  readonly low: number
  readonly high: number
  /** Each run's estimate lies inside the other run's 95 % interval: the figure reproduced. */
  readonly reproduced: boolean
  /** Why, in words. */
  readonly reason: string
}

export interface CompareOptions {
  /** Smallest relative change that matters. @default 0.10 */
  readonly minEffect?: number
}

export interface CellComparison {
  readonly store: string
  readonly operation: BenchCell['operation']
  readonly payload: BenchCell['payload']
  readonly concurrency: number
  readonly comparison: Comparison
}

/**
 * Compares a run with a stored baseline, store × operation × payload × concurrency. It goes by
 * the × raw ratio where both runs have one — the figure that holds when the machine's speed
 * differs between the two runs — and by the cell's headline (p50, a mix's mean) otherwise.
 * Cells missing on either side are not compared; raw-baseline cells are left out: the gate is
 * about the stores.
 */
export function compareBench(
  baseline: BenchReport,
  current: BenchReport,
  options: CompareOptions = {},
): CellComparison[] {
  const key = (cell: BenchCell) => [cell.store, cell.operation, cell.payload, cell.concurrency].join('|')
  const before = new Map(baseline.cells.filter((cell) => cell.target === 'store').map((cell) => [key(cell), cell]))
  return current.cells
    .filter((cell) => cell.target === 'store' && before.has(key(cell)))
    .map((cell) => {
      const old = before.get(key(cell)) as BenchCell
      const byOverhead = old.overhead !== undefined && cell.overhead !== undefined
      const figure: ComparedFigure = byOverhead ? 'overhead' : cell.headline
      const comparison = compareIntervals(
        byOverhead ? (old.overhead as Interval) : old[cell.headline],
        byOverhead ? (cell.overhead as Interval) : cell[cell.headline],
        figure,
        options,
      )
      const { store, operation, payload, concurrency } = cell
      return { store, operation, payload, concurrency, comparison }
    })
}

/**
 * The gate on intervals: a change is a regression (or improvement) when it is larger than
 * `minEffect` and the two 95 % intervals do not overlap (current ÷ baseline is then above 1, or
 * below it, whichever ends of the intervals are taken). A large change whose intervals overlap
 * is "inconclusive", never a failure: measure again, longer.
 */
export function compareIntervals(
  baseline: Interval,
  current: Interval,
  figure: ComparedFigure,
  options: CompareOptions = {},
): Comparison {
  const minEffect = options.minEffect ?? 0.1
  const ratio = current.estimate / baseline.estimate
  const low = current.low / baseline.high
  const high = current.high / baseline.low
  const change = `${ratio >= 1 ? '+' : '−'}${(Math.abs(ratio - 1) * 100).toFixed(1)} %`
  const what = figure === 'overhead' ? '× raw' : figure
  const inside = (value: number, interval: Interval) => value >= interval.low && value <= interval.high
  const reproduced = inside(current.estimate, baseline) && inside(baseline.estimate, current)
  const verdict = (value: Verdict, reason: string): Comparison => ({
    verdict: value,
    figure,
    ratio,
    low,
    high,
    reproduced,
    reason,
  })
  if (Math.abs(ratio - 1) <= minEffect)
    return verdict('no-change', `${what} ${change}, within the ${minEffect * 100} % threshold`)
  if (low <= 1 && high >= 1)
    return verdict(
      'inconclusive',
      `${what} ${change}, but the 95 % intervals overlap: too noisy to tell, measure again`,
    )
  return verdict(ratio > 1 ? 'regression' : 'improvement', `${what} ${change}, the 95 % intervals apart`)
}

/** Reads a baseline written by a previous `bench` run; anything else is a usage error. */
export function parseBaseline(text: string, file: string): BenchReport {
  let report: unknown
  try {
    report = JSON.parse(text)
  } catch {
    throw new ConformanceError('SC_BAD_OPTION', `--baseline: ${file} is not JSON`)
  }
  const candidate = report as Partial<BenchReport>
  if (candidate?.schemaVersion !== BENCH_SCHEMA_VERSION || !Array.isArray(candidate.cells)) {
    const older = typeof candidate?.schemaVersion === 'number' && candidate.schemaVersion < BENCH_SCHEMA_VERSION
    throw new ConformanceError(
      'SC_BAD_OPTION',
      older
        ? `--baseline: ${file} is a schema ${candidate.schemaVersion} report, from before figures had intervals: ` +
            'regenerate it with this version'
        : `--baseline: ${file} is not a store-conformance bench report (schemaVersion ${BENCH_SCHEMA_VERSION})`,
    )
  }
  // Checked now, not when comparing: a broken baseline must not cost a whole run.
  const broken = candidate.cells.findIndex((cell) => !isComparableCell(cell))
  if (broken >= 0)
    throw new ConformanceError(
      'SC_BAD_OPTION',
      `--baseline: ${file}: cell ${broken + 1} is not a bench cell with intervals`,
    )
  return candidate as BenchReport
}

function isComparableCell(cell: unknown): boolean {
  const { store, target, operation, payload, concurrency, headline, overhead } = (cell ?? {}) as Partial<BenchCell>
  return (
    typeof store === 'string' &&
    typeof target === 'string' &&
    typeof operation === 'string' &&
    typeof payload === 'string' &&
    typeof concurrency === 'number' &&
    (headline === 'p50' || headline === 'mean') &&
    isInterval((cell as BenchCell)[headline]) &&
    (overhead === undefined || isInterval(overhead))
  )
}

function isInterval(value: unknown): value is Interval {
  const { estimate, low, high } = (value ?? {}) as Partial<Interval>
  return [estimate, low, high].every((end) => typeof end === 'number' && Number.isFinite(end) && end > 0)
}
