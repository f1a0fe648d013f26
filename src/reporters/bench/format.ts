import type { Interval } from '../../bench/interval.js'
import type { BenchCell } from '../../bench/report.js'

/** Milliseconds with about three significant figures. */
export function formatMs(value: number): string {
  return value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3)
}

/** A duration in the unit that reads best: µs below a millisecond. */
export function formatDuration(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs` : `${formatMs(ms)} ms`
}

export function formatRatio(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(value >= 10 ? 0 : value >= 1 ? 1 : 2)}×`
}

/** The ± of a 95 % interval, its wider side: "±3 %", "±0.4 %", "±∞". */
export function formatPlusMinus(interval: Interval): string {
  const pct = interval.halfWidthPct
  if (!Number.isFinite(pct)) return '±∞'
  return `±${pct < 1 ? pct.toFixed(1) : Math.round(pct)} %`
}

/** Marks a figure whose interval did not narrow to the target before the cell's cap. */
export const UNRESOLVED_MARK = '†'

/** A figure and its interval: "0.123 ±3 %", "1.4× ±2 %"; unresolved figures carry †. */
export function formatInterval(
  interval: Interval | undefined,
  resolved = true,
  format: (value: number) => string = formatMs,
): string {
  if (!interval) return '—'
  return `${format(interval.estimate)} ${formatPlusMinus(interval)}${resolved ? '' : UNRESOLVED_MARK}`
}

/** A share (0.38) and its interval: "38 % ±19 %", † when unresolved. */
export function formatShare(interval: Interval, resolved = true): string {
  return formatInterval(interval, resolved, (share) => `${Math.round(share * 100)} %`)
}

/** What † means, for the line under a table that has one. */
export function unresolvedNote(targetPct: number, capMs: number): string {
  return (
    `${UNRESOLVED_MARK} unresolved: the interval did not narrow to ±${targetPct} % within the cell's ` +
    `${capMs} ms; quote the interval, not the figure.`
  )
}

/** A cell's headline latency: its p50, or "mean …" for a request mix (see cells.ts, Headline). */
export function formatHeadline(cell: Pick<BenchCell, 'headline' | 'p50' | 'mean' | 'resolved'>): string {
  const figure = formatInterval(cell[cell.headline], cell.resolved)
  return cell.headline === 'mean' ? `mean ${figure}` : figure
}
