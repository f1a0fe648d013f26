import { formatCount } from '../../bench/format-count.js'
import type { CeilingCell, WorkersCell, WorkersReport } from '../../bench/workers-report.js'
import { tableRow } from '../markdown-table.js'
import { markdownText } from '../safe-text.js'
import { formatInterval, formatShare } from './format.js'

/** "2 processes", "1 process". */
export function processes(count: number): string {
  return `${count} process${count === 1 ? '' : 'es'}`
}

/** The store's throughput as a share of its backend's own tool's: each estimate over the other's. */
export function shareOfCeiling(cell: WorkersCell, ceiling: CeilingCell | undefined): string {
  if (!ceiling) return '—'
  return `${Math.round((cell.opsPerSec.estimate / ceiling.opsPerSec.estimate) * 100)} %`
}

/** `--workers`: each store and its raw client from N processes, beside the backend's own ceiling. */
export function workersMarkdown(workers: WorkersReport): string[] {
  const { settings } = workers
  const lines = [
    `## From ${processes(settings.workers)} at once (${settings.operation}, ${settings.payload})`,
    '',
    `Each server-backed store, and its raw client, driven from ${processes(settings.workers)} at once, ` +
      `${settings.concurrency} calls in flight in each (closed loop), windows of ${settings.windowMs} ms alternating ` +
      "store and raw; ops/s is the workers' sum, latency the median of the workers' own. Beside them, the " +
      "backend's own load tool against the same server in the same run: the ceiling.",
    '',
    '| store | ops/s | p50 ms | raw client ops/s | keeps of raw | backend ceiling | of the ceiling |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const cell of workers.cells.filter((entry) => entry.target === 'store')) {
    const raw = workers.cells.find((entry) => entry.target === 'raw' && entry.store === cell.store)
    const ceiling = workers.ceilings.find((entry) => entry.store === cell.store)
    const kept = cell.kept ? formatShare(cell.kept, cell.resolved) : '—'
    lines.push(
      tableRow([
        cell.store,
        formatInterval(cell.opsPerSec, cell.resolved, formatCount),
        formatInterval(cell.p50),
        raw ? formatInterval(raw.opsPerSec, raw.resolved, formatCount) : '—',
        kept,
        ceiling ? `${formatInterval(ceiling.opsPerSec, true, formatCount)} (\`${ceiling.command}\`)` : '—',
        shareOfCeiling(cell, ceiling),
      ]),
    )
  }
  for (const { store, reason } of workers.skipped)
    lines.push('', `${store}: not driven from workers (${markdownText(reason)}).`)
  for (const failure of workers.failures)
    lines.push(
      '',
      `**failed**: ${failure.store} (${failure.target}), window ${failure.window}: ${markdownText(failure.error)}`,
    )
  return lines
}
