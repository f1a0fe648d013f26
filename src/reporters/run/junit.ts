import { boundText } from '../../core/bounded.js'
import type { CheckResult, FailResult, Gate, RunReport } from '../../core/types.js'
import { gatingFailures, runProblems } from '../../core/verdict.js'
import { visibleControls } from '../safe-text.js'
import { belowGate } from './gating.js'
import type { RenderOptions, Reporter } from './reporter.js'

/**
 * JUnit XML for CI systems: one <testsuite> per check group, one <testcase> per check. It follows
 * the gate, as the exit code does: only a failure that gates is a <failure> (and counted in
 * failures=); one below the gate passes with the deviation in a `deviation` property and in
 * <system-out>, so CI shows it without going red. Warnings pass with the deviation in
 * <system-out>. What fails the run outside any check (the store's process died, an error escaped,
 * cleanup failed, a required backend was unavailable) is a failing test case of a `run` suite.
 * Hand-written: the format needs a dozen elements, and an XML library would add more dependencies
 * than this file has lines.
 */
export const junitReporter: Reporter = {
  // The gate defaults to the CLI's: JavaScript callers may leave the options out.
  render(report, { gate = 'required' }: Partial<RenderOptions> = {}) {
    const gating = new Set<CheckResult>(gatingFailures(report, gate))
    const groups = new Map<string, CheckResult[]>()
    for (const result of report.results) groups.set(result.group, [...(groups.get(result.group) ?? []), result])
    const suites = [...groups].map(([group, results]) => {
      const suite = attributes({
        name: `${report.store.name} · ${group}`,
        tests: results.length,
        failures: results.filter((result) => gating.has(result)).length,
        errors: 0,
        skipped: results.filter((result) => result.status === 'skip').length,
        time: seconds(results.reduce((sum, result) => sum + result.durationMs, 0)),
      })
      const cases = results.map((result) => testcase(result, gating.has(result), gate))
      return `  <testsuite ${suite}>\n${cases.join('\n')}\n  </testsuite>`
    })
    const problems = runFailures(report)
    if (problems.length > 0) suites.push(runSuite(report.store.name, problems))
    const { summary } = report
    const all = attributes({
      name: `store-conformance ${report.store.name}`,
      tests: summary.passed + summary.failed + summary.warned + summary.skipped + problems.length,
      failures: gating.size + problems.length,
      errors: 0,
      skipped: summary.skipped,
      time: seconds(report.durationMs),
      timestamp: report.startedAt,
    })
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${all}>\n${suites.join('\n')}\n</testsuites>\n`
  },
}

interface RunFailure {
  readonly kind: string
  readonly message: string
}

/** What fails the run outside any check: its problems, and a required backend that was unavailable. */
function runFailures(report: RunReport): RunFailure[] {
  const { unavailable, required } = report.store
  const backend = unavailable && required ? [{ kind: 'backend-unavailable', message: unavailable }] : []
  return [...runProblems(report), ...backend]
}

/** The run's own problems, one failing test case each. */
function runSuite(store: string, problems: readonly RunFailure[]): string {
  const suite = attributes({
    name: `${store} · run`,
    tests: problems.length,
    failures: problems.length,
    errors: 0,
    skipped: 0,
    time: '0.000',
  })
  const cases = problems.map((problem, index) => {
    const name = `run.${problem.kind} #${index + 1}`
    const failure = attributes({ message: problem.message, type: 'run' })
    return [
      `    <testcase ${attributes({ classname: 'run', name, time: '0.000' })}>`,
      `      <failure ${failure}>${xml(problem.message)}</failure>`,
      '    </testcase>',
    ].join('\n')
  })
  return `  <testsuite ${suite}>\n${cases.join('\n')}\n  </testsuite>`
}

function testcase(result: CheckResult, gates: boolean, gate: Gate): string {
  const name = `${result.id}: ${result.title}`
  const open = `    <testcase ${attributes({ classname: result.group, name, time: seconds(result.durationMs) })}`
  switch (result.status) {
    case 'pass':
      return `${open}/>`
    case 'warn':
      return `${open}>\n      <system-out>${xml(`warning: ${result.message}`)}</system-out>\n    </testcase>`
    case 'skip':
      return `${open}>\n      <skipped message="${xml(`${result.reason}: ${result.message}`)}"/>\n    </testcase>`
    case 'fail': {
      if (!gates) return `${open}>\n${deviation(result, gate)}\n    </testcase>`
      const failure = attributes({ message: result.message, type: result.level })
      return `${open}>\n      <failure ${failure}>${xml(body(result))}</failure>\n    </testcase>`
    }
  }
}

/** A failure below the gate: visible in CI (a property, the details in system-out), not a <failure>. */
function deviation(result: FailResult, gate: Gate): string {
  return [
    '      <properties>',
    `        <property ${attributes({ name: 'deviation', value: result.message })}/>`,
    '      </properties>',
    `      <system-out>${xml(`deviation (${belowGate(result, gate)}):\n${body(result)}`)}</system-out>`,
  ].join('\n')
}

/** A failure's message, what was expected and what happened, and what it costs. */
function body(result: FailResult): string {
  const details = [result.expected && `expected: ${result.expected}`, result.actual && `actual: ${result.actual}`]
  return [result.message, ...details, `impact: ${result.impact}`].filter(Boolean).join('\n')
}

/** `name="value"` pairs, each value escaped. */
function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}="${xml(String(value))}"`)
    .join(' ')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

/** Escapes text for XML (bounded) and replaces the characters XML 1.0 cannot carry at all. */
function xml(text: string): string {
  return visibleControls(boundText(text))
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '�')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
