import type { CheckResult } from '../../core/types.js'
import { runFailed } from '../../core/verdict.js'
import { STATUS_SYMBOL, type Reporter } from './reporter.js'

/** A Markdown table for PR comments and READMEs. */
export const markdownReporter: Reporter = {
  render(report, { gate }) {
    const { summary } = report
    const verdict = runFailed(report, gate) ? `**FAIL** at the ${gate} gate` : '**PASS**'
    const rows = report.results.map(
      (result) => `| ${STATUS_SYMBOL[result.status]} ${result.status} | \`${result.id}\` | ${result.level} | ${cell(result.title)} | ${cell(detail(result))} |`,
    )
    return [
      `## store-conformance: ${report.store.name}`,
      '',
      `${verdict} · ${summary.passed} passed, ${summary.failed} failed, ${summary.warned} warned, ${summary.skipped} skipped · ${(report.durationMs / 1000).toFixed(1)} s · ${report.tool.name} ${report.tool.version}`,
      '',
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
      return [result.message, result.expected && `expected: ${result.expected}`, result.actual && `actual: ${result.actual}`].filter(Boolean).join('; ')
    case 'skip':
      return `${result.reason}: ${result.message}`
    default:
      return result.message ?? ''
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
