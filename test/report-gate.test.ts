import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, test } from 'vitest'
import type { CheckResult, Gate, RunReport, SkipReason } from '../src/core/types.js'
import { summarize } from '../src/core/verdict.js'
import { reporterNames, reporters } from '../src/reporters/index.js'

const base = { group: 'touch', durationMs: 1, title: 'the contract' } as const
const recommendedFailure: CheckResult = {
  ...base,
  id: 'touch.missing-no-error',
  level: 'recommended',
  status: 'fail',
  message: 'touch() of a missing id called back with an error',
  impact: 'a request after logout logs an error',
}
const requiredFailure: CheckResult = {
  ...base,
  id: 'get.miss-returns-nothing',
  group: 'core',
  level: 'required',
  status: 'fail',
  message: 'get() of a miss called back with an error',
  impact: 'express-session passes any get() error to next(err)',
}
const others: CheckResult[] = [
  { ...base, id: 'touch.keeps-data', level: 'recommended', status: 'pass' },
  { ...base, id: 'touch.updates-stored-cookie', level: 'recommended', status: 'warn', message: 'tolerated' },
  // A skip reason reporters have no entry for (new reasons are being added): shown as named, never a crash.
  {
    ...base,
    id: 'ttl.touch-extends',
    level: 'required',
    status: 'skip',
    reason: 'brand-new' as SkipReason,
    message: 'x',
  },
]

function report(results: readonly CheckResult[]): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'store-conformance', version: '0.0.0' },
    store: { name: 'fixture' },
    startedAt: new Date(0).toISOString(),
    durationMs: 10,
    capabilities: { touch: true, length: false, all: false, clear: false, ttlGranularityMs: 0 },
    summary: summarize(results),
    results,
  }
}

const render = (name: 'junit' | 'markdown' | 'tty', results: readonly CheckResult[], gate: Gate) =>
  reporters[name]({}).render(report(results), { gate, color: false })

/** The testsuites element's failures= count. */
const totalFailures = (junit: string) => Number(/<testsuites [^>]*failures="(\d+)"/.exec(junit)?.[1])

describe('JUnit follows the gate', () => {
  test('a recommended failure is not a <failure> at the default gate, but stays visible', () => {
    const junit = render('junit', [recommendedFailure, ...others], 'required')
    expect(XMLValidator.validate(junit)).toBe(true)
    expect(junit).not.toContain('<failure')
    expect(totalFailures(junit)).toBe(0)
    expect(junit).not.toMatch(/<testsuite [^>]*failures="[1-9]/)
    expect(junit).toContain('<property name="deviation" value="touch() of a missing id called back with an error"/>')
    expect(junit).toMatch(/<system-out>deviation \(recommended check, below the required gate: does not fail the run/)
    expect(junit).toContain('impact: a request after logout logs an error</system-out>')
  })

  test('with strict, the recommended failure is a <failure>, counted', () => {
    const junit = render('junit', [recommendedFailure, ...others], 'recommended')
    expect(XMLValidator.validate(junit)).toBe(true)
    expect(junit.match(/<failure /g)).toHaveLength(1)
    expect(junit).toContain('<failure message="touch() of a missing id called back with an error" type="recommended">')
    expect(totalFailures(junit)).toBe(1)
    expect(junit).toMatch(/<testsuite name="fixture · touch" tests="4" failures="1"/)
    expect(junit).not.toContain('deviation')
  })

  test.each(['required', 'recommended'] as const)('a required failure is a <failure> at the %s gate', (gate) => {
    const junit = render('junit', [requiredFailure, recommendedFailure, ...others], gate)
    expect(junit).toContain('<failure message="get() of a miss called back with an error" type="required">')
    expect(totalFailures(junit)).toBe(gate === 'required' ? 1 : 2)
  })

  test('a required backend that was unavailable is a failing case of the run suite, as it fails the exit code', () => {
    const unavailable = { ...report(others), store: { name: 'redis', unavailable: 'no REDIS_URL', required: true } }
    const junit = reporters.junit().render(unavailable, { gate: 'required', color: false })
    expect(junit).toMatch(
      /<testcase classname="run" name="run.backend-unavailable #1"[\s\S]*<failure message="no REDIS_URL"/,
    )
    expect(totalFailures(junit)).toBe(1)
  })
})

describe('Markdown follows the gate', () => {
  test('at the default gate: PASS, the recommended failure listed as a deviation', () => {
    const markdown = render('markdown', [recommendedFailure, ...others], 'required')
    expect(markdown).toContain('**PASS** at the required gate')
    expect(markdown).not.toContain('### Failures')
    const deviations = markdown.split('### Deviations below the required gate (they do not fail the run)')[1] ?? ''
    expect(deviations.split('| status |')[0]).toMatch(
      /- ✗ `touch\.missing-no-error` \(recommended\): .* \(recommended check, below the required gate: does not fail/,
    )
    expect(deviations.split('| status |')[0]).toContain('- ! `touch.updates-stored-cookie` (recommended): tolerated')
  })

  test('with strict: FAIL, the recommended failure listed with the failures', () => {
    const markdown = render('markdown', [recommendedFailure, ...others], 'recommended')
    expect(markdown).toContain('**FAIL** at the recommended gate')
    const failures = markdown.split('### Failures at the recommended gate')[1]?.split('###')[0] ?? ''
    expect(failures).toContain('- ✗ `touch.missing-no-error` (recommended): touch() of a missing id called back')
    expect(markdown).toContain('### Deviations below the recommended gate')
  })

  test('a required failure fails at either gate', () => {
    for (const gate of ['required', 'recommended'] as const) {
      const markdown = render('markdown', [requiredFailure, ...others], gate)
      expect(markdown).toContain(`**FAIL** at the ${gate} gate`)
      expect(markdown.split(`### Failures at the ${gate} gate`)[1]).toContain('`get.miss-returns-nothing` (required)')
    }
  })
})

test('the terminal says why a failure below the gate leaves the verdict at PASS', () => {
  const tty = render('tty', [recommendedFailure, ...others], 'required')
  expect(tty).toContain('(recommended check, below the required gate: does not fail the run; strict mode fails on it)')
  expect(tty).toMatch(/^PASS \(failures below the required gate only\)$/m)
  expect(render('tty', [recommendedFailure, ...others], 'recommended')).toMatch(
    /^FAIL: 1 required or recommended check\(s\) failed$/m,
  )
})

test('every reporter shows a skip reason it has never heard of, as it is named', () => {
  // The github reporter annotates deviations only; its job summary is the Markdown report's.
  for (const name of reporterNames.filter((reporter) => reporter !== 'github')) {
    expect(reporters[name]({}).render(report(others), { gate: 'required', color: false })).toContain('brand-new')
  }
})
