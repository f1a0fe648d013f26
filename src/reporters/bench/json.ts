import type { BenchReport } from '../../bench/report.js'

/** Significant digits kept: nanoseconds on a millisecond scale, far below what a run can resolve. */
const SIGNIFICANT_DIGITS = 6

const round = (_key: string, value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(SIGNIFICANT_DIGITS))
    : value

/**
 * bench.json: the header indented, then one line per cell, growth cell and failure (the HTTP
 * bench's likewise), with values rounded to what they can mean, so a committed report stays
 * small and its diff reads cell by cell.
 */
export function benchJson(report: BenchReport): string {
  const { cells, growth, openLoop, failures, http, workers, ...header } = report
  const head = JSON.stringify(header, round, 2).replace(/\n}$/, '')
  const lists = [
    list('cells', cells, 2),
    list('growth', growth, 2),
    list('openLoop', openLoop, 2),
    list('failures', failures, 2),
  ]
  if (workers) {
    const { cells: workerCells, ...workersHeader } = workers
    const workersHead = JSON.stringify(workersHeader, round, 2).replace(/\n}$/, '').replace(/\n/g, '\n  ')
    lists.push(`  "workers": ${workersHead},\n${list('cells', workerCells, 4)}\n  }`)
  }
  if (http) {
    const { cells: httpCells, openLoop: httpOpenLoop, failures: httpFailures, ...httpHeader } = http
    const httpHead = JSON.stringify(httpHeader, round, 2).replace(/\n}$/, '').replace(/\n/g, '\n  ')
    const httpLists = [
      list('cells', httpCells, 4),
      list('openLoop', httpOpenLoop, 4),
      list('failures', httpFailures, 4),
    ]
    lists.push(`  "http": ${httpHead},\n${httpLists.join(',\n')}\n  }`)
  }
  return `${head},\n${lists.join(',\n')}\n}\n`
}

/** `"name": [` then one line per item, indented by `indent`. */
function list(name: string, items: readonly unknown[], indent: number): string {
  const pad = ' '.repeat(indent)
  if (items.length === 0) return `${pad}"${name}": []`
  return `${pad}"${name}": [\n${items.map((item) => `${pad}  ${JSON.stringify(item, round)}`).join(',\n')}\n${pad}]`
}
