import type { BenchReport } from '../../bench/report.js'
import { formatCount, formatMs, formatRatio } from './format.js'

/**
 * A short excerpt for the README: per measured store, the p50 of the calls every request makes
 * (× its raw client) at the load payload, one call in flight, and read-heavy throughput under load.
 */
export function benchExcerptMarkdown(report: BenchReport): string {
  const { loadPayload, concurrency } = report.settings
  const lowest = Math.min(...concurrency)
  const highest = Math.max(...concurrency)
  const operations = ['get-hit', 'set-update', 'touch', 'destroy'] as const
  const mix = report.settings.mixes[0]
  const find = (store: string, operation: string, level: number) =>
    report.cells.find((cell) => cell.store === store && cell.target === 'store' && cell.operation === operation && cell.payload === loadPayload && cell.concurrency === level)
  const lines = [
    `| store | ${operations.join(' | ')} |${mix && highest > lowest ? ` ${mix.name} mix, ${highest} in flight |` : ''}`,
    `| --- | ${operations.map(() => '---:').join(' | ')} |${mix && highest > lowest ? ' ---: |' : ''}`,
  ]
  for (const store of report.stores.filter((entry) => !entry.unavailable)) {
    const latencies = operations.map((operation) => {
      const cell = find(store.name, operation, lowest)
      return cell ? `${formatMs(cell.p50.median)} ms (${formatRatio(cell.overhead)})` : '—'
    })
    const load = mix && highest > lowest ? find(store.name, `mix:${mix.name}`, highest) : undefined
    const throughput = load ? ` ${formatCount(load.opsPerSec.median)} ops/s (raw ${load.rawOpsPerSec === undefined ? '—' : formatCount(load.rawOpsPerSec)}) |` : mix && highest > lowest ? ' — |' : ''
    lines.push(`| ${store.name} | ${latencies.join(' | ')} |${throughput}`)
  }
  return lines.join('\n')
}
