import type { BenchReport } from '../../bench/report.js'

/** Significant digits kept: nanoseconds on a millisecond scale, far below what a run can resolve. */
const SIGNIFICANT_DIGITS = 6

const round = (_key: string, value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(SIGNIFICANT_DIGITS))
    : value

/**
 * bench.json: the header indented, then one line per cell, growth cell and failure, with values
 * rounded to what they can mean, so a committed report stays small and its diff reads cell by cell.
 */
export function benchJson(report: BenchReport): string {
  const { cells, growth, failures, ...header } = report
  const head = JSON.stringify(header, round, 2).replace(/\n}$/, '')
  const list = (name: string, items: readonly unknown[]) =>
    items.length === 0
      ? `  "${name}": []`
      : `  "${name}": [\n${items.map((item) => `    ${JSON.stringify(item, round)}`).join(',\n')}\n  ]`
  return `${head},\n${[list('cells', cells), list('growth', growth), list('failures', failures)].join(',\n')}\n}\n`
}
