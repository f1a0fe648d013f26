import { formatCount } from '../../bench/format-count.js'
import type { HttpReport } from '../../bench/http/report.js'
import { KEEPS_UP, kneeOf } from '../../bench/knee.js'
import type { BenchReport, OpenLoopCell } from '../../bench/report.js'
import { targetLabel } from '../../bench/target-label.js'
import { tableRow } from '../markdown-table.js'
import { formatInterval, formatRatio } from './format.js'

/** What a knee line says: the highest rate kept up with, or that none was. */
export function kneeText(knee: number | undefined, highest: number): string {
  if (knee === undefined) return 'fell behind at every rate offered'
  return knee === highest
    ? `kept up with every rate offered (up to ${formatCount(knee)}/s)`
    : `kept up to ${formatCount(knee)}/s`
}

/** Store calls offered at constant rates: per store and raw client, served/s, p50, p99 and × raw at each rate. */
export function openLoopMarkdown(report: BenchReport): string[] {
  const settings = report.settings.openLoop
  if (!settings || report.openLoop.length === 0) return []
  const highest = Math.max(...settings.rates)
  const lines = [
    `## Open loop: ${settings.operation} at constant rates (${report.settings.loadPayload})`,
    '',
    `Calls started at a fixed rate whatever the store does, each timed from when it was due, in windows of ` +
      `${settings.windowMs} ms: a stall is charged to every call that arrived during it (no coordinated ` +
      `omission). A target keeps up while it serves at least ${KEEPS_UP * 100} % of the rate; the highest such ` +
      'rate is its knee. Figures ± their 95 % intervals.',
    '',
  ]
  const targets = [...new Set(report.openLoop.map((cell) => `${cell.store}|${cell.target}`))]
  for (const key of targets) {
    const cells = report.openLoop.filter((cell) => `${cell.store}|${cell.target}` === key)
    const first = cells[0] as OpenLoopCell
    lines.push(`- **${targetLabel(first)}** ${kneeText(kneeOf(cells), highest)}`)
  }
  lines.push(
    '',
    '| target | offered/s | served/s | p50 | p99 | × raw p50 |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.openLoop.map((cell) =>
      tableRow([
        targetLabel(cell),
        formatCount(cell.ratePerSec),
        `${formatInterval(cell.opsPerSec, cell.resolved, formatCount)}${cell.saturated ? ' (saturated)' : ''}`,
        formatInterval(cell.p50, cell.resolved),
        formatInterval(cell.p99),
        cell.overhead ? formatInterval(cell.overhead, cell.resolved, formatRatio) : '—',
      ]),
    ),
  )
  return lines
}

/** The HTTP bench's open loop: per setup, served/s, p50 and p99 at each offered rate, and its knee. */
export function httpOpenLoopMarkdown(http: HttpReport): string[] {
  const settings = http.settings.openLoop
  if (!settings || http.openLoop.length === 0) return []
  const highest = Math.max(...settings.rates)
  const setups = [...new Set(http.openLoop.map((cell) => cell.setup))]
  return [
    `### ${settings.scenario} at constant rates (open loop)`,
    '',
    `Requests sent at a fixed rate whatever the server does (undici, keep-alive), each timed from when it was ` +
      `due, in windows of ${settings.windowMs} ms.`,
    '',
    ...setups.map(
      (setup) => `- **${setup}** ${kneeText(kneeOf(http.openLoop.filter((cell) => cell.setup === setup)), highest)}`,
    ),
    '',
    '| setup | offered/s | served/s | p50 | p99 |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...http.openLoop.map((cell) =>
      tableRow([
        cell.setup,
        formatCount(cell.ratePerSec),
        `${formatInterval(cell.opsPerSec, cell.resolved, formatCount)}${cell.saturated ? ' (saturated)' : ''}`,
        formatInterval(cell.p50, cell.resolved),
        formatInterval(cell.p99),
      ]),
    ),
  ]
}
