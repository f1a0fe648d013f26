import type { CellComparison } from '../../bench/compare.js'
import { formatCount } from '../../bench/format-count.js'
import type { BenchCell, BenchReport, BenchStore } from '../../bench/report.js'
import { targetLabel } from '../../bench/target-label.js'
import { tableRow } from '../markdown-table.js'
import { markdownText } from '../safe-text.js'
import { backendLabel, packageLabel } from '../store-labels.js'
import { comparisonMarkdown } from './comparison.js'
import { formatHeadline, formatInterval, formatRatio, unresolvedNote } from './format.js'
import { headerLines } from './header.js'
import { httpMarkdown } from './http-markdown.js'
import { openLoopMarkdown } from './open-loop-markdown.js'
import { workersMarkdown } from './workers-markdown.js'

export interface BenchRenderOptions {
  /** The command that produced the report, so a reader can regenerate it. */
  readonly command?: string
  /** A comparison with a baseline run, appended when given. */
  readonly comparisons?: readonly CellComparison[]
}

/**
 * The bench as Markdown for a README or a PR comment: the stores and how each backend was
 * provided, then latency (payloads swept, one call in flight), load (closed loop, with the raw
 * client's throughput beside each store's) and cost growth; every figure with its 95 % interval.
 */
export function benchMarkdown(report: BenchReport, options: BenchRenderOptions = {}): string {
  const command = options.command ?? 'store-conformance bench'
  const measured = report.cells.filter((cell) => cell.target !== 'harness')
  const levels = [...new Set(measured.map((cell) => cell.concurrency))].sort((a, b) => a - b)
  const lines = [
    '# express-session store benchmark',
    '',
    ...headerLines(report, command),
    '',
    '| store | package | backend | raw baseline (same cells) |',
    '| --- | --- | --- | --- |',
    ...report.stores.map(storeRow),
  ]
  if (report.failures.length > 0) lines.push('', ...failureTable(report))
  for (const level of levels)
    lines.push('', ...(level === levels[0] ? latencyTable(report, level) : loadTable(report, level)))
  if (report.openLoop.length > 0) lines.push('', ...openLoopMarkdown(report))
  if (report.workers) lines.push('', ...workersMarkdown(report.workers))
  if (report.growth.length > 0) lines.push('', ...growthTable(report))
  if (report.http) lines.push('', ...httpMarkdown(report.http))
  if (allCells(report).some((cell) => !cell.resolved))
    lines.push('', unresolvedNote(report.settings.targetPct, report.settings.cellCapMs))
  const pinned = report.stores.filter(
    (store) => store.pinned && Object.keys(store.pinned).length > 0 && !store.unavailable,
  )
  if (pinned.length > 0) {
    lines.push(
      '',
      '## Pinned store options',
      '',
      'Options that change what a store does per request, fixed for every cell:',
      '',
    )
    for (const store of pinned)
      lines.push(
        `- **${store.name}**: ${Object.entries(store.pinned ?? {})
          .map(([option, why]) => `\`${option}\` ${why}`)
          .join('; ')}`,
      )
  }
  const markdown = `${lines.join('\n')}\n`
  return options.comparisons ? `${markdown}\n${comparisonMarkdown(options.comparisons)}` : markdown
}

/** Every cell of every kind, for what holds across them (has any not resolved?). */
export function allCells(report: BenchReport): readonly { readonly resolved: boolean }[] {
  const http = report.http
  return [
    ...report.cells,
    ...report.growth,
    ...report.openLoop,
    ...(report.workers?.cells ?? []),
    ...(http ? [...http.cells, ...http.openLoop] : []),
  ]
}

function storeRow(store: BenchStore): string {
  const backend = store.unavailable
    ? `**not measured**: ${markdownText(store.unavailable)}`
    : store.backend
      ? backendLabel(store.backend)
      : 'in-process'
  const baseline = store.baselineError ? `**failed to open**: ${store.baselineError}` : (store.baseline ?? '—')
  return `| ${store.name} | ${packageLabel(store)} | ${backend} | ${baseline} |`
}

function failureTable(report: BenchReport): string[] {
  const lines = [
    '## Measurements that failed',
    '',
    'The store (or its raw client) errored in these cells, which stopped there: a cell that had too few ' +
      'windows for an interval is left out of the tables.',
    '',
    '| target | operation | payload | in flight | failed in window | error |',
    '| --- | --- | --- | ---: | ---: | --- |',
  ]
  for (const failure of report.failures) {
    const operation =
      failure.sessions === undefined
        ? failure.operation
        : `${failure.operation} at ${formatCount(failure.sessions)} sessions`
    const error = markdownText(failure.error)
    const { payload, concurrency } = failure
    lines.push(tableRow([targetLabel(failure), operation, payload, concurrency, failure.window, error]))
  }
  return lines
}

function latencyTable(report: BenchReport, level: number): string[] {
  const cells = report.cells.filter((cell) => cell.target !== 'harness' && cell.concurrency === level)
  const payloads = report.settings.payloads.filter((payload) => cells.some((cell) => cell.payload === payload))
  const reference = report.settings.loadPayload
  const lines = [
    `## Latency (${level} call${level === 1 ? '' : 's'} in flight)`,
    '',
    `p50 / p99 per session size, each ± its 95 % interval (a request mix: its mean / p99); × raw is the ` +
      `store's p50 (mean) over its backend's raw client's at ${reference}, pair by pair.`,
    '',
    `| store | operation | ${payloads.join(' | ')} | × raw |`,
    `| --- | --- | ${payloads.map(() => '---:').join(' | ')} | ---: |`,
  ]
  for (const [label, operation, byPayload] of rows(cells)) {
    const values = payloads.map((payload) => {
      const cell = byPayload.get(payload)
      return cell ? `${formatHeadline(cell)} / ${formatInterval(cell.p99)}` : '—'
    })
    const atReference = byPayload.get(reference)
    lines.push(`| ${label} | ${operation} | ${values.join(' | ')} | ${formatOverhead(atReference)} |`)
  }
  return lines
}

function loadTable(report: BenchReport, level: number): string[] {
  const cells = report.cells.filter((cell) => cell.target === 'store' && cell.concurrency === level)
  const payload = report.settings.loadPayload
  const lines = [
    `## Under load (${level} calls in flight, closed loop, ${payload})`,
    '',
    'Aggregate throughput is samples ÷ the time calls were in flight. Closed loop: each call starts when another ' +
      'ends, so stalls are under-counted (coordinated omission).',
    '',
    '| store | operation | p50 (mix: mean) / p99 | ops/s | raw client ops/s | × raw |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ]
  for (const [label, operation, byPayload] of rows(cells)) {
    const cell = byPayload.get(payload)
    if (!cell) continue
    const latency = `${formatHeadline(cell)} / ${formatInterval(cell.p99)}`
    const opsPerSec = formatInterval(cell.opsPerSec, true, formatCount)
    const raw = formatInterval(cell.rawOpsPerSec, true, formatCount)
    lines.push(tableRow([label, operation, latency, opsPerSec, raw, formatOverhead(cell)]))
  }
  return lines
}

function growthTable(report: BenchReport): string[] {
  const sizes = [...new Set(report.growth.map((cell) => cell.sessions))].sort((a, b) => a - b)
  const lines = [
    `## Cost growth with stored sessions (${report.settings.growth?.payload ?? ''} each)`,
    '',
    'p50 in ms ± its 95 % interval at each number of stored sessions: a store that lists keys or files to count ' +
      'them grows with the data.',
    '',
    `| store | operation | ${sizes.map(formatCount).join(' | ')} | growth |`,
    `| --- | --- | ${sizes.map(() => '---:').join(' | ')} | ---: |`,
  ]
  const keys = [...new Set(report.growth.map((cell) => `${cell.store}|${cell.operation}`))]
  for (const key of keys) {
    const [store, operation] = key.split('|') as [string, string]
    const bySize = sizes.map((size) =>
      report.growth.find((cell) => cell.store === store && cell.operation === operation && cell.sessions === size),
    )
    const first = bySize[0]?.p50.estimate
    const last = bySize.at(-1)?.p50.estimate
    const growth = first && last ? formatRatio(last / first) : '—'
    const p50s = bySize.map((cell) => (cell ? formatInterval(cell.p50, cell.resolved) : '—'))
    lines.push(tableRow([store, operation, ...p50s, growth]))
  }
  return lines
}

/** A store cell's × raw ratio and its interval, † when the cell did not resolve. */
function formatOverhead(cell: BenchCell | undefined): string {
  return cell?.overhead ? formatInterval(cell.overhead, cell.resolved, formatRatio) : '—'
}

/** Cells grouped into table rows: store rows then their raw baseline, operations in plan order. */
function rows(cells: readonly BenchCell[]): [label: string, operation: string, byPayload: Map<string, BenchCell>][] {
  const grouped = new Map<string, [string, string, Map<string, BenchCell>]>()
  for (const cell of cells) {
    const key = `${cell.store}|${cell.target}|${cell.operation}`
    const entry = grouped.get(key) ?? [targetLabel(cell), cell.operation, new Map<string, BenchCell>()]
    entry[2].set(cell.payload, cell)
    grouped.set(key, entry)
  }
  return [...grouped.values()]
}
