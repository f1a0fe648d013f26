import type { CheckResult, Gate, RunReport } from '../../core/types.js'
import { counts, gatingFailures, runFailed, runProblems } from '../../core/verdict.js'
import { tableRow } from '../markdown-table.js'
import { markdownText } from '../safe-text.js'
import { belowGate, gatedLevels, nonGatingFailures } from './gating.js'
import { type Reporter, STATUS_SYMBOL } from './reporter.js'

/**
 * A Markdown report for PR comments and READMEs. It follows the gate, as the exit code does: the
 * verdict is the gate's, and the failures that fail the run are listed apart from the deviations
 * that do not (failures below the gate, tolerated warnings), above the table of every check.
 */
export const markdownReporter: Reporter = {
  render(report, { gate }) {
    const verdict = `${runFailed(report, gate) ? '**FAIL**' : '**PASS**'} at the ${gate} gate`
    const problems = runProblems(report).map(
      (problem) => `- **run failed** (${problem.kind}): ${markdownText(problem.message)}`,
    )
    const rows = report.results.map((result) =>
      tableRow([
        `${STATUS_SYMBOL[result.status]} ${result.status}`,
        `\`${result.id}\``,
        result.level,
        cell(result.title),
        cell(detail(result)),
      ]),
    )
    const run = `${(report.durationMs / 1000).toFixed(1)} s · ${report.tool.name} ${report.tool.version}`
    return [
      `## store-conformance: ${markdownText(report.store.name)}`,
      '',
      `${verdict} · ${counts(report.summary)} · ${run}`,
      '',
      ...(problems.length > 0 ? [...problems, ''] : []),
      ...sections(report, gate),
      '| status | check | level | contract | details |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n')
  },
}

/** The failures that fail the run, then the deviations that do not, each section only when it has entries. */
function sections(report: RunReport, gate: Gate): string[] {
  const failing = gatingFailures(report, gate).map((result) => `- ${item(result)}`)
  const deviations = [
    ...nonGatingFailures(report, gate).map((result) => `- ${item(result)} (${belowGate(result, gate)})`),
    ...report.results.flatMap((result) => (result.status === 'warn' ? [`- ${item(result)} (tolerated)`] : [])),
  ]
  return [
    ...section(`Failures at the ${gate} gate (${gatedLevels(gate)} checks: they fail the run)`, failing),
    ...section(`Deviations below the ${gate} gate (they do not fail the run)`, deviations),
  ]
}

function section(heading: string, items: readonly string[]): string[] {
  return items.length > 0 ? [`### ${heading}`, '', ...items, ''] : []
}

/** `✗ \`id\` (recommended): what happened` */
function item(result: CheckResult): string {
  return `${STATUS_SYMBOL[result.status]} \`${result.id}\` (${result.level}): ${cell(detail(result))}`
}

function detail(result: CheckResult): string {
  switch (result.status) {
    case 'fail':
      return [
        result.message,
        result.expected && `expected: ${result.expected}`,
        result.actual && `actual: ${result.actual}`,
      ]
        .filter(Boolean)
        .join('; ')
    case 'skip':
      // Any skip reason, present or future, is shown as it is named.
      return `${result.reason}: ${result.message}`
    default:
      return result.message ?? ''
  }
}

const cell = markdownText
