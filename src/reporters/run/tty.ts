import { createColors } from 'picocolors'
import wrapAnsi from 'wrap-ansi'
import type { CheckResult, Gate, RunReport } from '../../core/types.js'
import { gatingFailures, runFailed, runProblems } from '../../core/verdict.js'
import { terminalText } from '../safe-text.js'
import { backendLabel } from '../store-labels.js'
import { belowGate, failsGate, gatedLevels } from './gating.js'
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

export function renderTty(report: RunReport, { gate, color, verbose = false, columns }: RenderOptions): string {
  const c = createColors(color)
  const lines = [...headerLines(report, c), ...resultLines(report, gate, c, verbose), ...recapLines(report, gate, c)]
  const problems = runProblems(report)
  if (problems.length > 0) {
    const heading = c.red(c.bold('the run itself failed:'))
    lines.push(
      '',
      heading,
      ...problems.map((problem) => `  ${c.red('✗')} ${problem.kind}: ${terminalText(problem.message)}`),
    )
  }
  lines.push('', summaryLine(report, c), verdictLine(report, gate, c))
  const text = columns === undefined ? lines : lines.map((line) => wrapped(line, columns))
  return `${text.join('\n')}\n`
}

type Colors = ReturnType<typeof createColors>

/** The minimum width wrapping keeps to, so a tiny terminal still gets words, not letters. */
const MIN_COLUMNS = 40

/**
 * A line wrapped at `columns` on word boundaries (a word longer than the line is split), each
 * continuation under the text it continues: a result's title under its id, a detail under itself.
 */
function wrapped(line: string, columns: number): string {
  const indent = /^ */.exec(line)?.[0].length ?? 0
  const hanging = /^ {2}\S+ /.test(line) ? indent + 2 : indent
  const width = Math.max(columns, MIN_COLUMNS) - hanging
  const parts = wrapAnsi(line.slice(indent), width, { hard: true, trim: true }).split('\n')
  return parts.map((part, index) => ' '.repeat(index === 0 ? indent : hanging) + part).join('\n')
}

/**
 * What was tested, on what: the tool, the store, its package and version, and the backend with its
 * version and where it came from (a server of the user's, or one started for this run).
 */
function headerLines({ tool, store }: RunReport, c: Colors): string[] {
  const title = c.bold(`${tool.name} ${tool.version}`) + c.dim(` · store: ${terminalText(store.name)}`)
  const tested = store.package ? [`${store.package} ${store.version ?? ''}`.trim()] : []
  const backend = store.backend ? [backendLabel(store.backend, { ownServerHint: true })] : []
  const what = [...tested, ...backend.map((text) => `on ${text}`)].join(' ')
  return what ? [title, `  ${c.dim(terminalText(what))}`] : [title]
}

/**
 * The results, grouped. By default (as vitest's reporter does) only what did not pass is listed,
 * with its details, and a group's passes are one line; `verbose` lists every check.
 */
function resultLines(report: RunReport, gate: Gate, c: Colors, verbose: boolean): string[] {
  const visible = report.results.filter((result) => !(result.status === 'skip' && result.reason === 'filtered'))
  const groups = new Map<string, CheckResult[]>()
  for (const result of visible) {
    const members = groups.get(result.group) ?? []
    members.push(result)
    groups.set(result.group, members)
  }
  const lines: string[] = []
  for (const [group, results] of groups) {
    const notPassed = results.filter((result) => result.status !== 'pass')
    const passed = results.length - notPassed.length
    const tally = !verbose && passed > 0 ? c.dim(` ${c.green('✓')} ${passed} passed`) : ''
    lines.push('', c.bold(group) + tally)
    for (const result of verbose ? results : notPassed) lines.push(...resultLine(result, gate, c))
  }
  return lines
}

/** Timing could not decide: no verdict. Shown apart from the skips, since measuring again may decide it. */
const isInconclusive = (result: CheckResult) => result.status === 'skip' && result.reason === 'inconclusive'

function resultLine(result: CheckResult, gate: Gate, c: Colors): string[] {
  const paint = { pass: c.green, fail: c.red, warn: c.yellow, skip: c.dim } as const
  // The level on every line that did not pass: whether it gates is the first thing a reader asks.
  const level = result.status === 'pass' ? '' : c.dim(` [${result.level}]`)
  const time = result.durationMs >= 100 ? c.dim(` ${result.durationMs} ms`) : ''
  const symbol = isInconclusive(result) ? c.yellow('?') : paint[result.status](STATUS_SYMBOL[result.status])
  return [
    `  ${symbol} ${result.id}${level} ${c.dim(result.title)}${time}`,
    ...details(result, gate, c).map((line) => `      ${line}`),
  ]
}

/** Every failure that decides the verdict, by id, where the reader's eye ends up: the bottom. */
function recapLines(report: RunReport, gate: Gate, c: Colors): string[] {
  const gating = gatingFailures(report, gate)
  if (gating.length === 0) return []
  return [
    '',
    c.red(c.bold(`Failed (${gatedLevels(gate)}):`)),
    ...gating.map(
      (result) => `  ${c.red('✗')} ${result.id} ${c.dim(`[${result.level}]`)} ${oneLine(result.message ?? '')}`,
    ),
  ]
}

/** A failure's message on one line of reasonable length, for the recap. */
function oneLine(message: string): string {
  const flat = terminalText(message).replace(/\s+/g, ' ')
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat
}

function details(result: CheckResult, gate: Gate, c: Colors): string[] {
  switch (result.status) {
    case 'fail':
      return [
        c.red(terminalText(result.message)),
        ...(result.expected ? [`${c.dim('expected:')} ${terminalText(result.expected)}`] : []),
        ...(result.actual ? [`${c.dim('actual:  ')} ${terminalText(result.actual)}`] : []),
        `${c.dim('impact:  ')} ${terminalText(result.impact)}`,
        // A failure below the gate is shown in full, and says why the verdict can still be PASS.
        ...(failsGate(result, gate) ? [] : [c.dim(`(${belowGate(result, gate)})`)]),
      ]
    case 'warn':
      return [c.yellow(terminalText(result.message))]
    case 'skip':
      if (isInconclusive(result)) return [c.yellow(`inconclusive (no verdict): ${terminalText(result.message)}`)]
      return [c.dim(`skipped (${result.reason}): ${terminalText(result.message)}`)]
    case 'pass':
      return result.message ? [c.dim(terminalText(result.message))] : []
  }
}

/** `40 passed, 1 failed, 0 warned, 4 skipped · 1.2 s · TTL granularity 0 ms (declared)` */
function summaryLine({ summary, durationMs, timing, results }: RunReport, c: Colors): string {
  const inconclusive = results.filter(isInconclusive).length
  const counts = [
    c.green(`${summary.passed} passed`),
    summary.failed > 0 ? c.red(`${summary.failed} failed`) : `${summary.failed} failed`,
    summary.warned > 0 ? c.yellow(`${summary.warned} warned`) : `${summary.warned} warned`,
    `${summary.skipped} skipped${inconclusive > 0 ? c.yellow(` (${inconclusive} inconclusive)`) : ''}`,
  ].join(', ')
  const granularity = timing ? c.dim(` · TTL granularity ${timing.granularityMs} ms (${timing.granularitySource})`) : ''
  return `${counts} · ${(durationMs / 1000).toFixed(1)} s${granularity}`
}

/** PASS, SKIPPED or FAIL, and why. */
function verdictLine(report: RunReport, gate: Gate, c: Colors): string {
  const { store, summary } = report
  if (store.unavailable) {
    return store.required
      ? c.red(c.bold(`FAIL: required backend unavailable: ${terminalText(store.unavailable)}`))
      : c.yellow(c.bold(`SKIPPED: ${terminalText(store.unavailable)}`))
  }
  if (!runFailed(report, gate)) {
    return c.green(c.bold(`PASS${summary.failed > 0 ? ` (failures below the ${gate} gate only)` : ''}`))
  }
  const gating = gatingFailures(report, gate).length
  const problems = runProblems(report)
  const reasons = [
    gating > 0 && `${gating} ${gatedLevels(gate)} check(s) failed`,
    problems.length > 0 &&
      `the run itself failed (${[...new Set(problems.map((problem) => problem.kind))].join(', ')})`,
  ]
  return c.red(c.bold(`FAIL: ${reasons.filter(Boolean).join('; ')}`))
}
