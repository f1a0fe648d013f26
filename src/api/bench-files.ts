import { readFile } from 'node:fs/promises'
import { type CellComparison, compareBench, parseBaseline } from '../bench/compare.js'
import type { BenchReport } from '../bench/report.js'
import { ConformanceError } from '../core/errors.js'
import { benchFormats } from '../reporters/index.js'
import { writeFormats } from './write-formats.js'

/** Where `bench` writes its reports when not told otherwise. */
export const DEFAULT_BENCH_DIR = '.store-conformance'

/** A bench.json from an earlier run, for the regression gate; anything else is a usage error. */
export async function readBenchBaseline(file: string, label = file): Promise<BenchReport> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new ConformanceError('SC_BAD_OPTION', `--baseline: cannot read ${file}`)
  })
  return parseBaseline(text, label)
}

export interface WrittenBench {
  /** bench.md as written: the tables, and the comparison with the baseline when there was one. */
  readonly markdown: string
  /** Each store cell against the baseline's; empty without a baseline. */
  readonly comparisons: readonly CellComparison[]
  readonly files: readonly string[]
}

/** Writes the bench in every format into `dir`, the comparison with `baseline` into its Markdown. */
export async function writeBenchReports(
  report: BenchReport,
  options: { dir: string; command: string; baseline?: BenchReport | undefined },
): Promise<WrittenBench> {
  const { dir, command, baseline } = options
  const comparisons = baseline ? compareBench(baseline, report) : []
  const renderOptions = { command, comparisons: baseline ? comparisons : undefined }
  const { files, texts } = await writeFormats(dir, benchFormats, report, renderOptions)
  return { markdown: texts.markdown as string, comparisons, files }
}

/**
 * Every measurement that failed, in every part of the bench (store calls, several processes,
 * whole requests), by the store or setup that failed it.
 */
export function failedMeasurements(report: BenchReport): readonly string[] {
  return [
    ...report.failures.map((failure) => failure.store),
    ...(report.workers?.failures ?? []).map((failure) => failure.store),
    ...(report.http?.failures ?? []).map((failure) => failure.setup),
  ]
}

/**
 * Whether a bench run fails a CI gate: a significant regression, a failed measurement anywhere,
 * or a raw baseline that would not open.
 */
export function benchFailed(report: BenchReport, comparisons: readonly CellComparison[]): boolean {
  const regressed = comparisons.some((entry) => entry.comparison.verdict === 'regression')
  return regressed || failedMeasurements(report).length > 0 || report.stores.some((store) => store.baselineError)
}
