import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { formatCount } from '../../bench/format-count.js'
import type { HttpCell } from '../../bench/http/report.js'
import type { Interval } from '../../bench/interval.js'
import type { BenchCell, BenchFailure, BenchReport, BenchStore } from '../../bench/report.js'
import { targetLabel } from '../../bench/target-label.js'
import { backendLabel, packageLabel } from '../store-labels.js'
import { formatHeadline, formatInterval, formatRatio, formatShare, unresolvedNote } from './format.js'
import { headerLines } from './header.js'
import { httpMarkdown } from './http-markdown.js'
import { allCells, type BenchRenderOptions } from './markdown.js'
import { processes } from './workers-markdown.js'

const require = createRequire(import.meta.url)

/** Chart.js's browser build, inlined so the report opens with no network at all. */
function chartJsSource(): string {
  const entry = require.resolve('chart.js')
  return readFileSync(path.join(path.dirname(entry), 'chart.umd.min.js'), 'utf8')
}

/** Okabe & Ito's palette: told apart with every common colour-vision deficiency. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000']

interface Dataset {
  readonly label: string
  readonly data: (number | null)[]
  /** [low, high] of each value's 95 % interval, drawn as a whisker. */
  readonly intervals?: ([number, number] | null)[]
  readonly color: string
  /** The raw client beside its store: the store's colour, lighter. */
  readonly faded?: boolean
  readonly dashed?: boolean
}

interface ChartSpec {
  readonly id: string
  readonly title: string
  readonly note: string
  readonly type: 'bar' | 'line'
  readonly labels: string[]
  readonly datasets: Dataset[]
  readonly xTitle?: string
  readonly yTitle: string
  readonly logarithmic: boolean
}

/**
 * A self-contained HTML report: the Markdown's header, then charts with one colour per store
 * throughout — p50 and p99 per operation, the overhead over the raw backend, throughput under
 * load beside the raw client's, cost growth when measured — each value with its 95 % interval
 * drawn as a whisker, and every number behind them. `document.body.dataset.charts` holds the
 * number of charts drawn once rendering is done (the rendering test waits for it).
 */
export function benchHtml(report: BenchReport, options: BenchRenderOptions = {}): string {
  const charts = chartSpecs(report)
  const data = JSON.stringify(charts).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>express-session store benchmark</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>express-session store benchmark</h1>
${headerLines(report, options.command ?? 'store-conformance bench')
  .map((line) => `<p>${inlineMarkdown(line)}</p>`)
  .join('\n')}
${storesTable(report)}
${report.failures.map(failureParagraph).join('\n')}
${charts.map(chartFigure).join('\n')}
<h2>All measurements</h2>
<div class="scroll"><table>
<tr>${MEASUREMENT_COLUMNS.map((column) => `<th>${column}</th>`).join('')}</tr>
${report.cells.map(measurementRow).join('\n')}
</table></div>
${httpTable(report)}
${unresolvedParagraph(report)}
<script>${chartJsSource()}</script>
<script>
${CHART_SCRIPT}
  const charts = ${data};
  for (const spec of charts) draw(spec);
  document.body.dataset.charts = String(charts.length);
</script>
</body>
</html>
`
}

/** Every HTTP measurement, when the HTTP bench ran. */
function httpTable(report: BenchReport): string {
  const http = report.http
  if (!http) return ''
  const head = ['scenario', 'setup', 'windows', 'req/s', 'p50 ms', 'p99 ms', 'keeps of no-session']
  const row = (cell: HttpCell) =>
    [
      cell.scenario,
      cell.setup,
      cell.windows.length,
      formatInterval(cell.opsPerSec, cell.resolved, formatCount),
      formatInterval(cell.p50),
      formatInterval(cell.p99),
      cell.kept ? formatShare(cell.kept, cell.resolved) : '',
    ]
      .map((value) => `<td>${escapeHtml(String(value))}</td>`)
      .join('')
  return `<h2>Whole requests over HTTP</h2>
${httpMarkdown(http)
  .filter((line) => line.startsWith('- ') || line.startsWith('cookie-session') || line.startsWith('**'))
  .map((line) => `<p>${inlineMarkdown(line.replace(/^- /, ''))}</p>`)
  .join('\n')}
<div class="scroll"><table>
<tr>${head.map((title) => `<th>${title}</th>`).join('')}</tr>
${http.cells.map((cell) => `<tr>${row(cell)}</tr>`).join('\n')}
</table></div>`
}

/** What † means, under the table, when a cell has one. */
function unresolvedParagraph(report: BenchReport): string {
  if (allCells(report).every((cell) => cell.resolved)) return ''
  return `<p>${escapeHtml(unresolvedNote(report.settings.targetPct, report.settings.cellCapMs))}</p>`
}

/** Draws one chart spec with Chart.js, intervals as whiskers (a plugin of a dozen lines, no dependency). */
const CHART_SCRIPT = `  const whiskers = {
    id: 'whiskers',
    afterDatasetsDraw(chart) {
      const { ctx, scales: { y } } = chart;
      chart.data.datasets.forEach((dataset, index) => {
        const meta = chart.getDatasetMeta(index);
        if (meta.hidden || !dataset.intervals) return;
        meta.data.forEach((element, at) => {
          const range = dataset.intervals[at];
          if (!range) return;
          const top = y.getPixelForValue(range[1]);
          const bottom = y.getPixelForValue(range[0]);
          const cap = Math.min(5, (element.width ?? 10) / 3);
          ctx.save();
          ctx.strokeStyle = '#222';
          ctx.lineWidth = 1.2;
          ctx.beginPath();
          ctx.moveTo(element.x, top); ctx.lineTo(element.x, bottom);
          ctx.moveTo(element.x - cap, top); ctx.lineTo(element.x + cap, top);
          ctx.moveTo(element.x - cap, bottom); ctx.lineTo(element.x + cap, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    },
  };
  function draw(spec) {
    const datasets = spec.datasets.map((set) => ({
      label: set.label,
      data: set.data,
      intervals: set.intervals,
      backgroundColor: set.faded ? set.color + '55' : set.color,
      borderColor: set.color,
      borderWidth: set.faded ? 1 : 0,
      borderDash: set.dashed ? [6, 4] : [],
      ...(spec.type === 'line' ? { borderWidth: 2, fill: false } : {}),
    }));
    new Chart(document.getElementById(spec.id), {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      plugins: [whiskers],
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: spec.title } },
        scales: {
          x: spec.xTitle ? { title: { display: true, text: spec.xTitle } } : {},
          y: { type: spec.logarithmic ? 'logarithmic' : 'linear', title: { display: true, text: spec.yTitle } },
        },
      },
    });
  }`

const STYLE = [
  '  body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1100px; padding: 0 1rem; ' +
    'color: #222; }',
  '  figure { margin: 2rem 0; } figcaption { color: #555; margin-top: .3rem; }',
  '  .chart { position: relative; height: 380px; }',
  '  .scroll { overflow-x: auto; }',
  '  .swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em; border-radius: 2px; }',
  '  table { border-collapse: collapse; font-size: 12px; } ' +
    'td, th { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: right; white-space: nowrap; }',
  '  td:first-child, td:nth-child(2), th, .stores td { text-align: left; }',
  '  code { font-size: 12px; }',
].join('\n')

/** Each store's colour, by its place in the report: the same in every chart. */
function colorOf(report: BenchReport, store: string): string {
  const index = report.stores.findIndex((entry) => entry.name === store)
  return PALETTE[Math.max(0, index) % PALETTE.length] as string
}

function storesTable(report: BenchReport): string {
  const row = (store: BenchStore) => {
    const swatch = `<span class="swatch" style="background:${colorOf(report, store.name)}"></span>`
    const backend = store.unavailable
      ? `<strong>not measured</strong>: ${escapeHtml(store.unavailable)}`
      : escapeHtml(store.backend ? backendLabel(store.backend) : 'in-process')
    const baseline = store.baselineError
      ? `<strong>failed to open</strong>: ${escapeHtml(store.baselineError)}`
      : escapeHtml(store.baseline ?? '—')
    const pinned = Object.entries(store.pinned ?? {})
      .map(([option, why]) => `<code>${escapeHtml(option)}</code> ${escapeHtml(why)}`)
      .join('; ')
    const cells = [`${swatch}${escapeHtml(store.name)}`, escapeHtml(packageLabel(store)), backend, baseline, pinned]
    return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`
  }
  const head = ['store', 'package', 'backend', 'raw baseline (same cells)', 'pinned options']
  return `<div class="scroll"><table class="stores">
<tr>${head.map((title) => `<th>${title}</th>`).join('')}</tr>
${report.stores.map(row).join('\n')}
</table></div>`
}

const MEASUREMENT_COLUMNS = [
  'target',
  'operation',
  'payload',
  'in flight',
  'windows',
  'p50 (mix: mean) ms',
  'p99 ms',
  'p99.9 ms',
  'ops/s',
  '× raw',
]

/** One row of the table of every measurement. */
function measurementRow(cell: BenchCell): string {
  const values = [
    escapeHtml(targetLabel(cell)),
    escapeHtml(cell.operation),
    cell.payload,
    cell.concurrency,
    cell.windows.length,
    formatHeadline(cell),
    formatInterval(cell.p99),
    cell.p999 ? formatInterval(cell.p999) : '',
    formatInterval(cell.opsPerSec, true, formatCount),
    cell.overhead ? formatInterval(cell.overhead, cell.resolved, formatRatio) : '',
  ]
  return `<tr>${values.map((value) => `<td>${value}</td>`).join('')}</tr>`
}

function failureParagraph(failure: BenchFailure): string {
  const measurement = `${escapeHtml(failure.operation)} ${failure.payload} ×${failure.concurrency}`
  const what = `${escapeHtml(targetLabel(failure))} ${measurement}, window ${failure.window}`
  return `<p><strong>failed</strong>: ${what}: ${escapeHtml(failure.error)}</p>`
}

function chartFigure(chart: ChartSpec): string {
  const canvas = `<canvas id="${chart.id}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas>`
  return `<figure><div class="chart">${canvas}</div><figcaption>${escapeHtml(chart.note)}</figcaption></figure>`
}

const ends = (interval: Interval | undefined): [number, number] | null =>
  interval ? [interval.low, interval.high] : null

function chartSpecs(report: BenchReport): ChartSpec[] {
  const stores = report.cells.filter((cell) => cell.target === 'store')
  const names = report.stores.filter((store) => !store.unavailable).map((store) => store.name)
  const levels = [...new Set(stores.map((cell) => cell.concurrency))]
  const lowest = Math.min(...levels)
  const highest = Math.max(...levels)
  const reference = report.settings.loadPayload
  const at = (level: number) => stores.filter((cell) => cell.concurrency === level && cell.payload === reference)
  const operationsOf = (cells: readonly BenchCell[]) => [...new Set(cells.map((cell) => cell.operation))]
  /** One dataset per store: the figure `pick` reads from each of its cells, per operation. */
  const perStore = (cells: readonly BenchCell[], pick: (cell: BenchCell) => Interval | undefined) => {
    const operations = operationsOf(cells)
    return names.map((name) => {
      const byOperation = operations.map((operation) =>
        pick(cells.find((cell) => cell.store === name && cell.operation === operation) as BenchCell),
      )
      return {
        label: name,
        color: colorOf(report, name),
        data: byOperation.map((interval) => interval?.estimate ?? null),
        intervals: byOperation.map(ends),
      }
    })
  }
  const latency = at(lowest)
  const loaded = at(highest)
  const orNone = (pick: (cell: BenchCell) => Interval | undefined) => (cell: BenchCell | undefined) =>
    cell ? pick(cell) : undefined
  const charts: ChartSpec[] = [
    {
      id: 'latency',
      title: `p50 latency per operation (${reference}, ${lowest} in flight)`,
      note:
        'Median over windows of each window’s p50 (a request mix: its mean), in ms (log scale); whiskers are ' +
        '95 % intervals.',
      type: 'bar',
      labels: operationsOf(latency),
      datasets: perStore(
        latency,
        orNone((cell) => cell[cell.headline]),
      ),
      yTitle: 'ms',
      logarithmic: true,
    },
    {
      id: 'tail',
      title: `p99 latency per operation (${reference}, ${lowest} in flight)`,
      note: 'Median over windows of each window’s p99, in ms (log scale); whiskers are 95 % intervals.',
      type: 'bar',
      labels: operationsOf(latency),
      datasets: perStore(
        latency,
        orNone((cell) => cell.p99),
      ),
      yTitle: 'ms',
      logarithmic: true,
    },
    {
      id: 'overhead',
      title: `Overhead over the raw backend (${reference}, ${lowest} in flight)`,
      note:
        'Store p50 (mix: mean) ÷ the same backend’s plain client’s, pair by pair in the same cell: 1× means the ' +
        'store adds nothing. Whiskers are 95 % intervals.',
      type: 'bar',
      labels: operationsOf(latency),
      datasets: perStore(
        latency,
        orNone((cell) => cell.overhead),
      ),
      yTitle: '× raw',
      logarithmic: false,
    },
  ]
  if (highest > lowest)
    charts.push({
      id: 'throughput',
      title: `Throughput with ${highest} in flight (${reference}, closed loop)`,
      note:
        'Aggregate operations per second: samples ÷ the time calls were in flight. Each store in its colour, ' +
        'its raw client beside it in the same colour, lighter. Whiskers are 95 % intervals.',
      type: 'bar',
      labels: operationsOf(loaded),
      datasets: perStore(
        loaded,
        orNone((cell) => cell.opsPerSec),
      ).flatMap((store) => {
        const raw = perStore(
          loaded,
          orNone((cell) => cell.rawOpsPerSec),
        ).find((entry) => entry.label === store.label)
        return raw?.data.some((value) => value !== null)
          ? [store, { ...raw, label: `${store.label} raw client`, faded: true }]
          : [store]
      }),
      yTitle: 'ops/s',
      logarithmic: true,
    })
  charts.push(...openLoopCharts(report), ...workersCharts(report), ...growthCharts(report), ...httpCharts(report))
  return charts
}

/** One line per store × operation over the stored-session counts (log–log), when growth was measured. */
function growthCharts(report: BenchReport): ChartSpec[] {
  if (report.growth.length === 0) return []
  const sizes = [...new Set(report.growth.map((cell) => cell.sessions))].sort((a, b) => a - b)
  const series = [...new Set(report.growth.map((cell) => `${cell.store}|${cell.operation}`))]
  return [
    {
      id: 'growth',
      title: 'Cost growth with stored sessions',
      note: 'p50 of get (solid), length and all (dashed) at each number of stored sessions, log scale; 95 % intervals.',
      type: 'line',
      labels: sizes.map(formatCount),
      datasets: series.map((key) => {
        const [store, operation] = key.split('|') as [string, string]
        const cells = sizes.map((size) =>
          report.growth.find((cell) => cell.store === store && cell.operation === operation && cell.sessions === size),
        )
        return {
          label: `${store} ${operation}`,
          color: colorOf(report, store),
          dashed: operation !== 'get',
          data: cells.map((cell) => cell?.p50.estimate ?? null),
          intervals: cells.map((cell) => ends(cell?.p50)),
        }
      }),
      xTitle: 'stored sessions',
      yTitle: 'ms',
      logarithmic: true,
    },
  ]
}

/**
 * The saturation curves, when rates were offered: p99 against offered rate, for store calls (each
 * store in its colour, its raw client dashed) and for whole requests (each setup).
 */
function openLoopCharts(report: BenchReport): ChartSpec[] {
  const charts: ChartSpec[] = []
  const curve = <Cell extends { ratePerSec: number; p99: Interval }>(
    cells: readonly Cell[],
    rates: readonly number[],
    key: (cell: Cell) => string,
    style: (cell: Cell) => { label: string; color: string; dashed?: boolean },
  ) =>
    [...new Set(cells.map(key))].map((series) => {
      const points = rates.map((rate) => cells.find((cell) => key(cell) === series && cell.ratePerSec === rate))
      return {
        ...style(cells.find((cell) => key(cell) === series) as Cell),
        data: points.map((cell) => cell?.p99.estimate ?? null),
        intervals: points.map((cell) => ends(cell?.p99)),
      }
    })
  const calls = report.settings.openLoop
  if (calls && report.openLoop.length > 0)
    charts.push({
      id: 'saturation',
      title: `Saturation: p99 of ${calls.operation} against offered calls/s (open loop)`,
      note:
        'Each call timed from when it was due, so falling behind shows as a climbing p99; the raw client dashed in ' +
        'its store’s colour. Whiskers are 95 % intervals.',
      type: 'line',
      labels: calls.rates.map(formatCount),
      datasets: curve(
        report.openLoop,
        calls.rates,
        (cell) => `${cell.store}|${cell.target}`,
        (cell) => ({ label: targetLabel(cell), color: colorOf(report, cell.store), dashed: cell.target === 'raw' }),
      ),
      xTitle: 'offered calls/s',
      yTitle: 'p99 ms',
      logarithmic: true,
    })
  const http = report.http
  const requests = http?.settings.openLoop
  if (http && requests && http.openLoop.length > 0)
    charts.push({
      id: 'http-saturation',
      title: `Saturation: p99 of ${requests.scenario} requests against offered requests/s (open loop)`,
      note: 'Each request timed from when it was due. Whiskers are 95 % intervals.',
      type: 'line',
      labels: requests.rates.map(formatCount),
      datasets: curve(
        http.openLoop,
        requests.rates,
        (cell) => cell.setup,
        (cell) => ({ label: cell.setup, color: setupColor(report, cell.setup) }),
      ),
      xTitle: 'offered requests/s',
      yTitle: 'p99 ms',
      logarithmic: true,
    })
  return charts
}

/** `--workers`: per store, its throughput from every worker, its raw client's and the backend's ceiling. */
function workersCharts(report: BenchReport): ChartSpec[] {
  const workers = report.workers
  if (!workers || workers.cells.length === 0) return []
  const stores = [...new Set(workers.cells.map((cell) => cell.store))]
  const { settings } = workers
  return [
    {
      id: 'workers',
      title: `Throughput from ${processes(settings.workers)} at once (${settings.operation}, ${settings.payload})`,
      note:
        'Each store, its raw client, and its backend’s own load tool on the same server in the same run; ' +
        '95 % intervals.',
      type: 'bar',
      labels: ['store', 'raw client', 'backend ceiling'],
      datasets: stores.map((store) => {
        const figures = [
          workers.cells.find((cell) => cell.store === store && cell.target === 'store')?.opsPerSec,
          workers.cells.find((cell) => cell.store === store && cell.target === 'raw')?.opsPerSec,
          workers.ceilings.find((cell) => cell.store === store)?.opsPerSec,
        ]
        return {
          label: store,
          color: colorOf(report, store),
          data: figures.map((interval) => interval?.estimate ?? null),
          intervals: figures.map(ends),
        }
      }),
      yTitle: 'ops/s',
      logarithmic: false,
    },
  ]
}

/** The HTTP bench, when run: req/s and p99 per scenario, one bar per setup. */
function httpCharts(report: BenchReport): ChartSpec[] {
  const http = report.http
  if (!http || http.cells.length === 0) return []
  const scenarios = http.settings.scenarios.map((scenario) => scenario.name)
  const setups = [...new Set(http.cells.map((cell) => cell.setup))]
  const dataset = (setup: string, pick: (cell: HttpCell) => Interval) => {
    const cells = scenarios.map((scenario) =>
      http.cells.find((cell) => cell.setup === setup && cell.scenario === scenario),
    )
    return {
      label: setup,
      color: setupColor(report, setup),
      data: cells.map((cell) => (cell ? pick(cell).estimate : null)),
      intervals: cells.map((cell) => ends(cell && pick(cell))),
    }
  }
  const where = `${http.settings.connections} connections, closed loop, ${http.settings.payload} sessions`
  return [
    {
      id: 'http-throughput',
      title: `Whole requests over HTTP: req/s per scenario (${where})`,
      note: 'The same Express app with no session, cookie-session and express-session on each store; 95 % intervals.',
      type: 'bar',
      labels: scenarios,
      datasets: setups.map((setup) => dataset(setup, (cell) => cell.opsPerSec)),
      yTitle: 'requests/s',
      logarithmic: false,
    },
    {
      id: 'http-latency',
      title: `Whole requests over HTTP: p99 latency per scenario (${where})`,
      note: 'From request sent to response read, in ms; 95 % intervals.',
      type: 'bar',
      labels: scenarios,
      datasets: setups.map((setup) => dataset(setup, (cell) => cell.p99)),
      yTitle: 'ms',
      logarithmic: false,
    },
  ]
}

/** The baselines in greys, each store in its colour from the rest of the report. */
function setupColor(report: BenchReport, setup: string): string {
  if (setup === 'no-session') return '#9E9E9E'
  if (setup === 'cookie-session') return '#555555'
  return colorOf(report, setup)
}

/** The header's Markdown, as HTML: escaped, then `code` and **bold**. */
function inlineMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
