import type { CheckResult } from '../../core/types.js'
import type { Reporter } from './reporter.js'

/**
 * JUnit XML for CI systems: one <testsuite> per check group, one <testcase> per check. Warnings
 * pass with the deviation in <system-out>. Hand-written: the format needs a dozen elements, and an
 * XML library would add more dependencies than this file has lines.
 */
export const junitReporter: Reporter = {
  render(report) {
    const groups = new Map<string, CheckResult[]>()
    for (const result of report.results) groups.set(result.group, [...(groups.get(result.group) ?? []), result])
    const suites = [...groups].map(([group, results]) => {
      const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length
      const time = seconds(results.reduce((sum, result) => sum + result.durationMs, 0))
      const cases = results.map(testcase).join('\n')
      return `  <testsuite name="${xml(`${report.store.name} · ${group}`)}" tests="${results.length}" failures="${count('fail')}" errors="0" skipped="${count('skip')}" time="${time}">\n${cases}\n  </testsuite>`
    })
    const { summary } = report
    const total = summary.passed + summary.failed + summary.warned + summary.skipped
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="store-conformance ${xml(report.store.name)}" tests="${total}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}">\n${suites.join('\n')}\n</testsuites>\n`
  },
}

function testcase(result: CheckResult): string {
  const open = `    <testcase classname="${xml(result.group)}" name="${xml(`${result.id}: ${result.title}`)}" time="${seconds(result.durationMs)}"`
  switch (result.status) {
    case 'pass':
      return `${open}/>`
    case 'warn':
      return `${open}>\n      <system-out>${xml(`warning: ${result.message}`)}</system-out>\n    </testcase>`
    case 'skip':
      return `${open}>\n      <skipped message="${xml(`${result.reason}: ${result.message}`)}"/>\n    </testcase>`
    case 'fail': {
      const body = [result.message, result.expected && `expected: ${result.expected}`, result.actual && `actual: ${result.actual}`, `impact: ${result.impact}`]
        .filter(Boolean)
        .join('\n')
      return `${open}>\n      <failure message="${xml(result.message)}" type="${result.level}">${xml(body)}</failure>\n    </testcase>`
    }
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

/** Escapes text for XML and drops the characters XML 1.0 cannot carry at all. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '�')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
