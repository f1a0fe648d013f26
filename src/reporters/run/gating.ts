import type { CheckResult, FailResult, Gate, RunReport } from '../../core/types.js'
import { gatingFailures } from '../../core/verdict.js'

/**
 * Whether one result fails the run at this gate. It asks core's gatingFailures about that result
 * alone, so the rule stays in one place: a vitest test has its own result long before the report.
 */
export function failsGate(result: CheckResult, gate: Gate): result is FailResult {
  const one: Pick<RunReport, 'results'> = { results: [result] }
  return gatingFailures(one as RunReport, gate).length > 0
}

/** Failures the gate does not take in (an optional check, a recommended one below --strict). */
export function nonGatingFailures(report: RunReport, gate: Gate): FailResult[] {
  return report.results.filter((result): result is FailResult => result.status === 'fail' && !failsGate(result, gate))
}

/** The levels a gate takes in, in words, as every reporter says them. */
export function gatedLevels(gate: Gate): string {
  return gate === 'required' ? 'required' : 'required or recommended'
}

/** Why a failure did not fail the run, in words, as every reporter says it. */
export function belowGate(result: FailResult, gate: Gate): string {
  const raise = gate === 'required' && result.level === 'recommended' ? '; strict mode fails on it' : ''
  return `${result.level} check, below the ${gate} gate: does not fail the run${raise}`
}
