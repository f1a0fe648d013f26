import { formatCount } from '../../bench/format-count.js'
import type { HttpReport } from '../../bench/http/report.js'
import type { BenchReport } from '../../bench/report.js'
import { tableRow } from '../markdown-table.js'
import { formatHeadline, formatInterval, formatRatio, formatShare } from './format.js'

/**
 * A short excerpt for the README: per measured store, the p50 of the calls every request makes
 * (× its raw client) at the load payload, one call in flight, and read-heavy throughput under load;
 * then, when the HTTP bench ran, what each setup serves per scenario and the share of a
 * session-less server's throughput it keeps. Each figure ± its 95 % interval.
 */
export function benchExcerptMarkdown(report: BenchReport): string {
  const calls = callsExcerpt(report)
  return report.http ? `${calls}\n\n${httpExcerpt(report.http)}` : calls
}

/** Per setup, each scenario's requests per second and the share of no-session's it keeps. */
function httpExcerpt(http: HttpReport): string {
  const scenarios = http.settings.scenarios.map((scenario) => scenario.name)
  const setups = [...new Set(http.cells.map((cell) => cell.setup))]
  const lines = [
    tableRow(['setup (whole requests)', ...scenarios.map((scenario) => `${scenario} req/s (keeps)`)]),
    tableRow(['---', ...scenarios.map(() => '---:')]),
  ]
  for (const setup of setups) {
    const figures = scenarios.map((scenario) => {
      const cell = http.cells.find((entry) => entry.setup === setup && entry.scenario === scenario)
      if (!cell) return '—'
      const kept = cell.kept ? ` (${formatShare(cell.kept)})` : ''
      return `${formatInterval(cell.opsPerSec, cell.resolved, formatCount)}${kept}`
    })
    lines.push(tableRow([setup, ...figures]))
  }
  return lines.join('\n')
}

function callsExcerpt(report: BenchReport): string {
  const { loadPayload, concurrency } = report.settings
  const lowest = Math.min(...concurrency)
  const highest = Math.max(...concurrency)
  const operations = ['get-hit', 'set-update', 'touch', 'destroy'] as const
  const mix = report.settings.mixes[0]
  const find = (store: string, operation: string, level: number) =>
    report.cells.find(
      (cell) =>
        cell.store === store &&
        cell.target === 'store' &&
        cell.operation === operation &&
        cell.payload === loadPayload &&
        cell.concurrency === level,
    )
  const underLoad = mix && highest > lowest ? mix : undefined
  const lines = [
    tableRow(['store', ...operations, ...(underLoad ? [`${underLoad.name} mix, ${highest} in flight`] : [])]),
    tableRow(['---', ...operations.map(() => '---:'), ...(underLoad ? ['---:'] : [])]),
  ]
  for (const store of report.stores.filter((entry) => !entry.unavailable)) {
    const latencies = operations.map((operation) => {
      const cell = find(store.name, operation, lowest)
      if (!cell) return '—'
      const overhead = cell.overhead ? ` (${formatInterval(cell.overhead, cell.resolved, formatRatio)})` : ''
      return `${formatHeadline(cell)} ms${overhead}`
    })
    if (!underLoad) {
      lines.push(tableRow([store.name, ...latencies]))
      continue
    }
    const load = find(store.name, `mix:${underLoad.name}`, highest)
    const raw = load?.rawOpsPerSec ? ` (raw ${formatInterval(load.rawOpsPerSec, true, formatCount)})` : ''
    const throughput = load ? `${formatInterval(load.opsPerSec, load.resolved, formatCount)} ops/s${raw}` : '—'
    lines.push(tableRow([store.name, ...latencies, throughput]))
  }
  return lines.join('\n')
}
