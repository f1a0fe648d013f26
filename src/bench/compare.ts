import { ConformanceError } from '../core/errors.js'
import { BENCH_SCHEMA_VERSION, type BenchCell, type BenchReport } from './report.js'
import { type CompareOptions, type Comparison, compareRuns } from './stats.js'

export interface CellComparison {
  readonly store: string
  readonly operation: BenchCell['operation']
  readonly payload: BenchCell['payload']
  readonly concurrency: number
  readonly comparison: Comparison
}

/**
 * Compares a run with a stored baseline, store × operation × payload × concurrency, on the
 * per-run p50s (Mann–Whitney U across runs plus a minimum effect). Cells missing on either side
 * are not compared. Raw-baseline cells are left out: the gate is about the stores.
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
      const comparison = compareRuns(
        old.runs.map((run) => run.latency.p50),
        cell.runs.map((run) => run.latency.p50),
        options,
      )
      return {
        store: cell.store,
        operation: cell.operation,
        payload: cell.payload,
        concurrency: cell.concurrency,
        comparison,
      }
    })
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
    throw new ConformanceError(
      'SC_BAD_OPTION',
      `--baseline: ${file} is not a store-conformance bench report (schemaVersion ${BENCH_SCHEMA_VERSION})`,
    )
  }
  // Checked now, not when comparing: a broken baseline must not cost a whole run.
  const broken = candidate.cells.findIndex((cell) => !isComparableCell(cell))
  if (broken >= 0)
    throw new ConformanceError(
      'SC_BAD_OPTION',
      `--baseline: ${file}: cell ${broken + 1} is not a bench cell with per-run p50s`,
    )
  return candidate as BenchReport
}

function isComparableCell(cell: unknown): boolean {
  const { store, target, operation, payload, concurrency, runs } = (cell ?? {}) as Partial<BenchCell>
  return (
    typeof store === 'string' &&
    typeof target === 'string' &&
    typeof operation === 'string' &&
    typeof payload === 'string' &&
    typeof concurrency === 'number' &&
    Array.isArray(runs) &&
    runs.length > 0 &&
    runs.every((run) => typeof run?.latency?.p50 === 'number' && Number.isFinite(run.latency.p50))
  )
}
