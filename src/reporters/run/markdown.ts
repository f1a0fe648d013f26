import type { CheckResult } from '../../core/types.js'
import { counts, runFailed, runProblems } from '../../core/verdict.js'
import { tableRow } from '../markdown-table.js'
import { markdownText } from '../safe-text.js'
import { type Reporter, STATUS_SYMBOL } from './reporter.js'

/** A Markdown table for PR comments and READMEs. */
export const markdownReporter: Reporter = {
  render(report, { gate }) {
    const { summary } = report
    const verdict = runFailed(report, gate) ? `**FAIL** at the ${gate} gate` : '**PASS**'
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
      `${verdict} · ${counts(summary)} · ${run}`,
      '',
      ...(problems.length > 0 ? [...problems, ''] : []),
      '| status | check | level | contract | details |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n')
  },
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
      return `${result.reason}: ${result.message}`
    default:
      return result.message ?? ''
  }
}

const cell = markdownText
