import { boundText } from '../../core/bounded.js'
import type { CheckResult, RunProblem } from '../../core/types.js'
import { runProblems } from '../../core/verdict.js'
import { visibleControls } from '../safe-text.js'
import type { Reporter } from './reporter.js'

/**
 * JUnit XML for CI systems: one <testsuite> per check group, one <testcase> per check. Warnings
 * pass with the deviation in <system-out>. Problems of the run itself (the store's process died,
 * an error escaped outside any check, cleanup failed) are failing test cases of a `run` suite, so
 * a dashboard agrees with the exit code. Hand-written: the format needs a dozen elements, and an
 * XML library would add more dependencies than this file has lines.
 */
export const junitReporter: Reporter = {
  render(report) {
    const groups = new Map<string, CheckResult[]>()
    for (const result of report.results) groups.set(result.group, [...(groups.get(result.group) ?? []), result])
    const suites = [...groups].map(([group, results]) => {
      const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length
      const suite = attributes({
        name: `${report.store.name} · ${group}`,
        tests: results.length,
        failures: count('fail'),
        errors: 0,
        skipped: count('skip'),
        time: seconds(results.reduce((sum, result) => sum + result.durationMs, 0)),
      })
      return `  <testsuite ${suite}>\n${results.map(testcase).join('\n')}\n  </testsuite>`
    })
    const problems = runProblems(report)
    if (problems.length > 0) suites.push(runSuite(report.store.name, problems))
    const { summary } = report
    const all = attributes({
      name: `store-conformance ${report.store.name}`,
      tests: summary.passed + summary.failed + summary.warned + summary.skipped + problems.length,
      failures: summary.failed + problems.length,
      errors: 0,
      skipped: summary.skipped,
      time: seconds(report.durationMs),
      timestamp: report.startedAt,
    })
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${all}>\n${suites.join('\n')}\n</testsuites>\n`
  },
}

/** The run's own problems, one failing test case each. */
function runSuite(store: string, problems: readonly RunProblem[]): string {
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

function testcase(result: CheckResult): string {
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
      const details = [result.expected && `expected: ${result.expected}`, result.actual && `actual: ${result.actual}`]
      const body = [result.message, ...details, `impact: ${result.impact}`].filter(Boolean).join('\n')
      const failure = `<failure ${attributes({ message: result.message, type: result.level })}>${xml(body)}</failure>`
      return `${open}>\n      ${failure}\n    </testcase>`
    }
  }
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
