import type { CheckResult, Gate, RunReport, RunSummary } from './types.js'

export function summarize(results: readonly CheckResult[]): RunSummary {
  const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length
  return { passed: count('pass'), failed: count('fail'), warned: count('warn'), skipped: count('skip') }
}

/** The checks whose failure fails the run at this gate. */
export function gatingFailures(report: RunReport, gate: Gate = 'required'): CheckResult[] {
  const gated = gate === 'required' ? ['required'] : ['required', 'recommended']
  return report.results.filter((result) => result.status === 'fail' && gated.includes(result.level))
}

/**
 * Whether the run fails at this gate: a gating check failed, or an error escaped the store
 * outside any check (it would crash an application just the same).
 */
export function runFailed(report: RunReport, gate: Gate = 'required'): boolean {
  if (report.store.unavailable) return report.store.required === true
  const escaped = (report.strayErrors?.length ?? 0) > 0 || report.cleanupError !== undefined
  return gatingFailures(report, gate).length > 0 || escaped
}

/** `12 passed, 1 failed, 0 warned, 2 skipped`, as every report says it. */
export function counts(summary: RunSummary): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.warned} warned, ${summary.skipped} skipped`
}
