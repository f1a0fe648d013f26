import type { CellComparison } from '../../bench/compare.js'
import { formatCount } from '../../bench/format-count.js'
import type { HttpReport } from '../../bench/http/report.js'
import { kneeOf, type RatePoint } from '../../bench/knee.js'
import type { BenchReport } from '../../bench/report.js'
import { targetLabel } from '../../bench/target-label.js'
import { formatHeadline, formatInterval, formatRatio, formatShare, unresolvedNote } from './format.js'
import { allCells } from './markdown.js'
import { kneeText } from './open-loop-markdown.js'
import { processes, shareOfCeiling } from './workers-markdown.js'

/**
 * The bench for a terminal: one compact table of the stores' cells (store, operation, size and
 * calls in flight, p50 and × raw, each ± its 95 % interval), how many cells resolved, and what
 * the comparison with a baseline found. The Markdown, with everything, is in bench.md.
 */
export function benchTerminal(report: BenchReport, comparisons: readonly CellComparison[] = []): string {
  const cells = report.cells.filter((cell) => cell.target === 'store')
  const header = ['store', 'operation', 'size', 'in flight', 'p50 ms (mix: mean)', '× raw']
  const rows = cells.map((cell) => [
    cell.store,
    cell.operation,
    cell.payload,
    String(cell.concurrency),
    formatHeadline(cell),
    cell.overhead ? formatInterval(cell.overhead, cell.resolved, formatRatio) : '—',
  ])
  const lines = rows.length > 0 ? alignedTable(header, rows, new Set([3, 4, 5])) : []
  const resolved = [...report.cells, ...report.growth].filter((cell) => cell.resolved).length
  const total = report.cells.length + report.growth.length
  if (total > 0) lines.push('', `${resolved} of ${total} cells resolved to ±${report.settings.targetPct} % (95 %).`)
  // Every table and line below marks an unresolved figure with †: say what it means once.
  if (allCells(report).some((cell) => !cell.resolved))
    lines.push(unresolvedNote(report.settings.targetPct, report.settings.cellCapMs))
  if (report.http) lines.push('', ...httpTable(report.http))
  lines.push(...kneeLines(report), ...workersLines(report))
  lines.push(...comparisonLines(comparisons))
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}

/** The HTTP bench: per scenario and setup, req/s, p50 and the share of no-session's req/s kept. */
function httpTable(http: HttpReport): string[] {
  const rows = http.cells.map((cell) => [
    cell.scenario,
    cell.setup,
    formatInterval(cell.opsPerSec, cell.resolved, formatCount),
    formatInterval(cell.p50),
    cell.kept ? formatShare(cell.kept) : '—',
  ])
  const header = ['scenario', 'setup', 'req/s', 'p50 ms', 'keeps']
  return [
    `Whole requests over HTTP (${http.settings.connections} connections, closed loop, ${http.settings.payload}):`,
    ...alignedTable(header, rows, new Set([2, 3, 4])),
  ]
}

/** One line per saturation sweep: how far each target kept up. */
function kneeLines(report: BenchReport): string[] {
  const lines: string[] = []
  const sweep = <Cell extends RatePoint>(
    cells: readonly Cell[],
    key: (cell: Cell) => string,
    rates: readonly number[],
  ) => {
    for (const series of new Set(cells.map(key)))
      lines.push(`  ${series} ${kneeText(kneeOf(cells.filter((cell) => key(cell) === series)), Math.max(...rates))}`)
  }
  const calls = report.settings.openLoop
  if (calls && report.openLoop.length > 0) {
    lines.push('', `Open loop, ${calls.operation} at constant rates:`)
    sweep(report.openLoop, targetLabel, calls.rates)
  }
  const requests = report.http?.settings.openLoop
  if (report.http && requests && report.http.openLoop.length > 0) {
    lines.push('', `Open loop, ${requests.scenario} requests at constant rates:`)
    sweep(report.http.openLoop, (cell) => cell.setup, requests.rates)
  }
  return lines
}

/** `--workers`: each store's throughput from N processes, its raw client's, and the backend's ceiling. */
function workersLines(report: BenchReport): string[] {
  const workers = report.workers
  if (!workers) return []
  const { settings } = workers
  const lines = ['', `From ${processes(settings.workers)} at once (${settings.operation}, ${settings.payload}):`]
  for (const cell of workers.cells.filter((entry) => entry.target === 'store')) {
    const raw = workers.cells.find((entry) => entry.target === 'raw' && entry.store === cell.store)
    const ceiling = workers.ceilings.find((entry) => entry.store === cell.store)
    const perSec = (interval: typeof cell.opsPerSec, resolved = true) =>
      `${formatInterval(interval, resolved, formatCount)}/s`
    lines.push(
      `  ${cell.store} ${perSec(cell.opsPerSec, cell.resolved)}` +
        (raw ? `, raw client ${perSec(raw.opsPerSec, raw.resolved)}` : '') +
        (ceiling ? `; ${ceiling.tool} ${perSec(ceiling.opsPerSec)}: ${shareOfCeiling(cell, ceiling)} of it` : ''),
    )
  }
  for (const { store, reason } of workers.skipped) lines.push(`  ${store}: not driven from workers (${reason})`)
  return lines
}

/** Regressions, improvements and inconclusive cells, one line each; unchanged cells as a count. */
function comparisonLines(comparisons: readonly CellComparison[]): string[] {
  if (comparisons.length === 0) return []
  const notable = comparisons.filter((entry) => entry.comparison.verdict !== 'no-change')
  const unchanged = comparisons.length - notable.length
  return [
    '',
    `Compared with the baseline: ${notable.length} changed or inconclusive, ${unchanged} unchanged; ` +
      `${comparisons.filter((entry) => entry.comparison.reproduced).length} of ${comparisons.length} figures ` +
      "inside the other run's 95 % interval, both ways.",
    ...notable.map(
      ({ store, operation, payload, concurrency, comparison }) =>
        `  ${comparison.verdict}: ${store} ${operation} ${payload} ×${concurrency}: ${comparison.reason}`,
    ),
  ]
}

/** Columns padded to their widest cell; the numeric ones right-aligned. */
function alignedTable(header: readonly string[], rows: readonly string[][], right: ReadonlySet<number>): string[] {
  const width = (text: string) => [...text].length
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column] ?? ''))))
  const line = (row: readonly string[]) =>
    row
      .map((text, column) => {
        const pad = ' '.repeat((widths[column] as number) - width(text))
        return right.has(column) ? pad + text : text + pad
      })
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((columnWidth) => '─'.repeat(columnWidth))), ...rows.map(line)]
}
