import type { CheckResult, Gate, RunReport } from '../../core/types.js'
import { counts, runFailed, runProblems } from '../../core/verdict.js'
import { terminalText } from '../safe-text.js'
import { failsGate } from './gating.js'
import type { Reporter } from './reporter.js'

/**
 * GitHub Actions workflow commands: an `::error` annotation per failure that fails the run, a
 * `::warning` for every other deviation (a failure below the gate, a tolerated warning, a check
 * timing could not decide), so each shows on the job and the pull request. The job summary is
 * the Markdown report, which the CLI appends to $GITHUB_STEP_SUMMARY.
 */
export const githubReporter: Reporter = {
  render(report, { gate }) {
    const lines = [
      ...runProblems(report).map((problem) =>
        command('error', `store-conformance: the run failed (${problem.kind})`, problem.message),
      ),
      ...unavailableLine(report),
      ...report.results.flatMap((result) => resultCommand(result, gate, report.store.name)),
      `${runFailed(report, gate) ? 'FAIL' : 'PASS'} at the ${gate} gate: ${terminalText(report.store.name)}: ` +
        counts(report.summary),
    ]
    return `${lines.join('\n')}\n`
  },
}

function resultCommand(result: CheckResult, gate: Gate, store: string): string[] {
  const title = `${result.id} [${result.level}] on ${store}`
  switch (result.status) {
    case 'fail': {
      const body = [
        result.message,
        ...(result.expected ? [`expected: ${result.expected}`] : []),
        ...(result.actual ? [`actual: ${result.actual}`] : []),
        `impact: ${result.impact}`,
      ].join('\n')
      return [command(failsGate(result, gate) ? 'error' : 'warning', title, body)]
    }
    case 'warn':
      return [command('warning', title, result.message)]
    case 'skip':
      return result.reason === 'inconclusive' ? [command('warning', `${title} (inconclusive)`, result.message)] : []
    case 'pass':
      return []
  }
}

function unavailableLine({ store }: RunReport): string[] {
  if (!store.unavailable) return []
  return [command(store.required ? 'error' : 'warning', `store-conformance: ${store.name} not run`, store.unavailable)]
}

/** One workflow command, escaped as @actions/core escapes them: text from a store can end no command early. */
function command(kind: 'error' | 'warning', title: string, message: string): string {
  return `::${kind} title=${escapeProperty(terminalText(title))}::${escapeData(terminalText(message))}`
}

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')
}
