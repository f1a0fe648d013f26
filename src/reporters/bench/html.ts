import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { formatCount } from '../../bench/format-count.js'
import type { BenchCell, BenchFailure, BenchReport, BenchStore } from '../../bench/report.js'
import { targetLabel } from '../../bench/target-label.js'
import { formatDuration } from './format.js'
import { steadinessLine } from './steadiness.js'

const require = createRequire(import.meta.url)

/** Chart.js's browser build, inlined so the report opens with no network at all. */
function chartJsSource(): string {
  const entry = require.resolve('chart.js')
  return readFileSync(path.join(path.dirname(entry), 'chart.umd.min.js'), 'utf8')
}

interface ChartSpec {
  readonly id: string
  readonly title: string
  readonly note: string
  readonly type: 'bar' | 'line'
  readonly labels: string[]
  readonly datasets: { label: string; data: (number | null)[] }[]
  readonly xTitle?: string
  readonly yTitle: string
  readonly logarithmic: boolean
}

/**
 * A self-contained HTML report: charts of latency per operation and payload, overhead over the
 * raw backend, throughput under load (store beside raw client) and, when measured, cost growth
 * with stored sessions, plus the numbers behind them. `document.body.dataset.charts`
 * holds the number of charts drawn once rendering is done (the rendering test waits for it).
 */
export function benchHtml(report: BenchReport): string {
  const charts = chartSpecs(report)
  const data = JSON.stringify(charts).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>express-session store benchmark</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>express-session store benchmark</h1>
${summary(report)}
${charts.map(chartFigure).join('\n')}
<h2>All measurements</h2>
<table>
<tr>${MEASUREMENT_COLUMNS.map((column) => `<th>${column}</th>`).join('')}</tr>
${report.cells.map(measurementRow).join('\n')}
</table>
<script>${chartJsSource()}</script>
<script>
  const charts = ${data};
  for (const spec of charts) {
    new Chart(document.getElementById(spec.id), {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        animation: false,
        plugins: { title: { display: true, text: spec.title } },
        scales: {
          x: spec.xTitle ? { title: { display: true, text: spec.xTitle } } : {},
          y: { type: spec.logarithmic ? 'logarithmic' : 'linear', title: { display: true, text: spec.yTitle } },
        },
      },
    });
  }
  document.body.dataset.charts = String(charts.length);
</script>
</body>
</html>
`
}

const STYLE = [
  '  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }',
  '  figure { margin: 2rem 0; } figcaption { color: #555; margin-top: .3rem; }',
  '  canvas { max-height: 420px; }',
  '  table { border-collapse: collapse; font-size: 12px; } ' +
    'td, th { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: right; }',
  '  td:first-child, td:nth-child(2), th { text-align: left; }',
].join('\n')

/** What was run where, how steady the machine was, and what could not be measured: one line each. */
function summary(report: BenchReport): string {
  const { environment, settings } = report
  const machine = [
    `Node ${escapeHtml(environment.node)}`,
    escapeHtml(environment.platform),
    `${environment.cpus} × ${escapeHtml(environment.cpu)}`,
    `tinybench ${escapeHtml(environment.tinybench)}`,
  ].join(', ')
  const tool = `${escapeHtml(report.tool.name)} ${escapeHtml(report.tool.version)}, ${escapeHtml(report.generatedAt)}`
  const method = `${settings.runs} runs per measurement (target order rotated), ${settings.timeMs} ms each`
  const steadiness = escapeHtml(steadinessLine(report)).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
  const harness = report.cells.filter((cell) => cell.target === 'harness')
  const costs = harness.map((cell) => `${escapeHtml(cell.operation)} ${formatDuration(cell.p50.median)}`).join(', ')
  const unavailable = report.stores.filter((store) => store.unavailable)
  const notMeasured = (store: BenchStore) =>
    `<p><strong>${escapeHtml(store.name)} not measured</strong>: ${escapeHtml(store.unavailable ?? '')}</p>`
  return [
    `<p>${tool}. ${machine}.\n${method}; medians across runs. Under load = closed loop.</p>`,
    report.steadiness ? `<p>${steadiness}</p>` : '',
    harness.length > 0 ? `<p>Harness overhead per operation (a no-op store, same runs): ${costs}.</p>` : '',
    report.failures.map(failureParagraph).join('\n'),
    unavailable.map(notMeasured).join('\n'),
  ].join('\n')
}

const MEASUREMENT_COLUMNS = [
  'target',
  'operation',
  'payload',
  'in flight',
  'p50 ms',
  'p99 ms',
  'p99.9 ms',
  'ops/s',
  '× raw p50',
]

/** One row of the table of every measurement. */
function measurementRow(cell: BenchCell): string {
  const values = [
    escapeHtml(targetLabel(cell)),
    escapeHtml(cell.operation),
    cell.payload,
    cell.concurrency,
    cell.p50.median.toFixed(4),
    cell.p99.median.toFixed(3),
    cell.p999 ? cell.p999.median.toFixed(3) : '',
    Math.round(cell.opsPerSec.median),
    cell.overhead === undefined ? '' : `${cell.overhead.toFixed(2)}×`,
  ]
  return `<tr>${values.map((value) => `<td>${value}</td>`).join('')}</tr>`
}

function failureParagraph(failure: BenchFailure): string {
  const measurement = `${escapeHtml(failure.operation)} ${failure.payload} ×${failure.concurrency}`
  const what = `${escapeHtml(targetLabel(failure))} ${measurement}, run ${failure.run}`
  return `<p><strong>failed</strong>: ${what}: ${escapeHtml(failure.error)}</p>`
}

function chartFigure(chart: ChartSpec): string {
  const canvas = `<canvas id="${chart.id}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas>`
  return `<figure>${canvas}<figcaption>${escapeHtml(chart.note)}</figcaption></figure>`
}

function chartSpecs(report: BenchReport): ChartSpec[] {
  const stores = report.cells.filter((cell) => cell.target === 'store')
  const payloads = [...new Set(stores.map((cell) => cell.payload))]
  const levels = [...new Set(stores.map((cell) => cell.concurrency))]
  const lowest = Math.min(...levels)
  const highest = Math.max(...levels)
  const labelsOf = (cells: readonly BenchCell[]) => [...new Set(cells.map((cell) => `${cell.store} ${cell.operation}`))]
  const find = (cells: readonly BenchCell[], label: string, payload: string) =>
    cells.find((cell) => `${cell.store} ${cell.operation}` === label && cell.payload === payload)

  const latency = stores.filter((cell) => cell.concurrency === lowest)
  const latencyLabels = labelsOf(latency)
  const reference = payloads.includes('4KB') ? '4KB' : (payloads[0] as string)
  const loaded = stores.filter((cell) => cell.concurrency === highest && cell.payload === reference)
  const loadedLabels = labelsOf(loaded)
  return [
    {
      id: 'latency',
      title: `p50 latency per operation and payload (${lowest} in flight)`,
      note: 'Median across runs of each run’s p50, in ms (log scale).',
      type: 'bar',
      labels: latencyLabels,
      datasets: payloads.map((payload) => ({
        label: payload,
        data: latencyLabels.map((label) => find(latency, label, payload)?.p50.median ?? null),
      })),
      yTitle: 'ms',
      logarithmic: true,
    },
    {
      id: 'overhead',
      title: `Overhead over the raw backend (${reference}, ${lowest} in flight)`,
      note:
        'Store p50 ÷ the same backend’s plain client p50, measured in the same runs: 1× means the store adds ' +
        'nothing.',
      type: 'bar',
      labels: latencyLabels,
      datasets: [
        { label: '× raw p50', data: latencyLabels.map((label) => find(latency, label, reference)?.overhead ?? null) },
      ],
      yTitle: '× raw',
      logarithmic: false,
    },
    {
      id: 'throughput',
      title: `Throughput with ${highest} in flight (${reference}, closed loop)`,
      note: 'Aggregate operations per second: samples ÷ the time calls were in flight, store beside its raw client.',
      type: 'bar',
      labels: loadedLabels,
      datasets: [
        {
          label: 'store ops/s',
          data: loadedLabels.map((label) => find(loaded, label, reference)?.opsPerSec.median ?? null),
        },
        {
          label: 'raw client ops/s',
          data: loadedLabels.map((label) => find(loaded, label, reference)?.rawOpsPerSec ?? null),
        },
      ],
      yTitle: 'ops/s',
      logarithmic: true,
    },
    ...growthCharts(report),
  ]
}

/** One line per store × operation over the stored-session counts (log–log), when growth was measured. */
function growthCharts(report: BenchReport): ChartSpec[] {
  if (report.growth.length === 0) return []
  const sizes = [...new Set(report.growth.map((cell) => cell.sessions))].sort((a, b) => a - b)
  const series = [...new Set(report.growth.map((cell) => `${cell.store} ${cell.operation}`))]
  return [
    {
      id: 'growth',
      title: 'Cost growth with stored sessions',
      note: 'p50 of get, length and all at each number of stored sessions (median across runs, log scale).',
      type: 'line',
      labels: sizes.map(formatCount),
      datasets: series.map((label) => ({
        label,
        data: sizes.map(
          (size) =>
            report.growth.find((cell) => `${cell.store} ${cell.operation}` === label && cell.sessions === size)?.p50
              .median ?? null,
        ),
      })),
      xTitle: 'stored sessions',
      yTitle: 'ms',
      logarithmic: true,
    },
  ]
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
