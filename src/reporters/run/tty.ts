import { createColors } from 'picocolors'
import type { CheckResult, RunReport } from '../../core/types.js'
import { gatingFailures, runFailed } from '../../core/verdict.js'
import { type RenderOptions, type Reporter, type ReporterOptions, STATUS_SYMBOL } from './reporter.js'

/**
 * The human report: results grouped by check group, failures with what was expected, what
 * happened and what it costs an express-session user. While the run is going it keeps one
 * progress line up to date on a TTY.
 */
export function createTtyReporter(options: ReporterOptions = {}): Reporter {
  const progress = options.progress?.isTTY ? options.progress : undefined
  let total = 0
  let done = 0
  let failed = 0
  return {
    onRunStart({ store, checks }) {
      total = checks.length
      progress?.write(`store-conformance: running ${total} checks on ${store}…`)
    },
    onCheckResult(result) {
      if (result.status === 'skip' && result.reason === 'filtered') return
      done += 1
      if (result.status === 'fail') failed += 1
      progress?.write(`\r\x1b[2K[${done}/${total}] ${failed > 0 ? `${failed} failed · ` : ''}${result.id}`)
      if (done >= total) progress?.write('\r\x1b[2K')
    },
    render: renderTty,
  }
}

export function renderTty(report: RunReport, { gate, color }: RenderOptions): string {
  const c = createColors(color)
  const paint = { pass: c.green, fail: c.red, warn: c.yellow, skip: c.dim } as const
  const lines = [c.bold(`${report.tool.name} ${report.tool.version}`) + c.dim(` · store: ${report.store.name}`)]
  const visible = report.results.filter((result) => !(result.status === 'skip' && result.reason === 'filtered'))
  let group = ''
  for (const result of visible) {
    if (result.group !== group) {
      group = result.group
      lines.push('', c.bold(group))
    }
    const level = result.level === 'required' ? '' : c.dim(` [${result.level}]`)
    const time = result.durationMs >= 100 ? c.dim(` ${result.durationMs} ms`) : ''
    lines.push(
      `  ${paint[result.status](STATUS_SYMBOL[result.status])} ${result.id}${level} ${c.dim(result.title)}${time}`,
    )
    lines.push(...details(result).map((line) => `      ${line}`))
  }
  if (report.strayErrors?.length) {
    lines.push(
      '',
      c.yellow('errors that escaped the store outside any check:'),
      ...report.strayErrors.map((line) => `  ${line}`),
    )
  }

  const { summary } = report
  const gating = gatingFailures(report, gate)
  const counts = [
    c.green(`${summary.passed} passed`),
    summary.failed > 0 ? c.red(`${summary.failed} failed`) : `${summary.failed} failed`,
    summary.warned > 0 ? c.yellow(`${summary.warned} warned`) : `${summary.warned} warned`,
    `${summary.skipped} skipped`,
  ].join(', ')
  const timing = report.timing
    ? c.dim(` · TTL granularity ${report.timing.granularityMs} ms (${report.timing.granularitySource})`)
    : ''
  lines.push('', `${counts} · ${(report.durationMs / 1000).toFixed(1)} s${timing}`)
  if (report.store.unavailable) {
    lines.push(
      report.store.required
        ? c.red(c.bold(`FAIL: required backend unavailable: ${report.store.unavailable}`))
        : c.yellow(c.bold(`SKIPPED: ${report.store.unavailable}`)),
    )
    return `${lines.join('\n')}\n`
  }
  const stray = report.strayErrors?.length ?? 0
  const reasons = [
    ...(gating.length > 0
      ? [`${gating.length} ${gate === 'required' ? 'required' : 'required or recommended'} check(s) failed`]
      : []),
    ...(stray > 0 ? [`${stray} error(s) escaped the store outside any check`] : []),
    ...(report.cleanupError ? [`cleanup failed: ${report.cleanupError}`] : []),
  ]
  lines.push(
    runFailed(report, gate)
      ? c.red(c.bold(`FAIL: ${reasons.join('; ')}`))
      : c.green(c.bold(`PASS${summary.failed > 0 ? ` (failures below the ${gate} gate only)` : ''}`)),
  )
  return `${lines.join('\n')}\n`

  function details(result: CheckResult): string[] {
    switch (result.status) {
      case 'fail':
        return [
          c.red(result.message),
          ...(result.expected ? [`${c.dim('expected:')} ${result.expected}`] : []),
          ...(result.actual ? [`${c.dim('actual:  ')} ${result.actual}`] : []),
          `${c.dim('impact:  ')} ${result.impact}`,
        ]
      case 'warn':
        return [c.yellow(result.message)]
      case 'skip':
        return [c.dim(`skipped (${result.reason}): ${result.message}`)]
      case 'pass':
        return result.message ? [c.dim(result.message)] : []
    }
  }
}
