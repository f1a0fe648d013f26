import type { CheckResult, Gate, RunProblem, RunReport, RunSummary } from './types.js'

export function summarize(results: readonly CheckResult[]): RunSummary {
  const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length
  return { passed: count('pass'), failed: count('fail'), warned: count('warn'), skipped: count('skip') }
}

/** The checks whose failure fails the run at this gate. */
export function gatingFailures(report: RunReport, gate: Gate = 'required'): CheckResult[] {
  const gated = gate === 'required' ? ['required'] : ['required', 'recommended']
  return report.results.filter((result) => result.status === 'fail' && gated.includes(result.level))
}

/** Every run-level problem of a report, stray errors and a failed cleanup included, for reporters to list. */
export function runProblems(report: RunReport): RunProblem[] {
  return [
    ...(report.strayErrors ?? []).map((message) => ({ kind: 'stray-error' as const, message })),
    ...(report.cleanupError === undefined ? [] : [{ kind: 'cleanup-failed' as const, message: report.cleanupError }]),
    ...(report.problems ?? []),
  ]
}

/**
 * Whether the run fails at this gate: a gating check failed, or the run itself had a problem (an
 * error escaped the store outside any check, the store's process died, cleanup failed…).
 */
export function runFailed(report: RunReport, gate: Gate = 'required'): boolean {
  if (report.store.unavailable) return report.store.required === true
  return gatingFailures(report, gate).length > 0 || runProblems(report).length > 0
}

/** `12 passed, 1 failed, 0 warned, 2 skipped`, as every report says it. */
export function counts(summary: RunSummary): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.warned} warned, ${summary.skipped} skipped`
}
