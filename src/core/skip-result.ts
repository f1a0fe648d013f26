import type { Check, CheckResult, SkipReason } from './types.js'

/** A check that did not run, and why. */
export function skipResult(check: Check, reason: SkipReason, message: string): CheckResult {
  const { id, group, level, title } = check
  return { id, group, level, title, durationMs: 0, status: 'skip', reason, message }
}

/** A check left out by --only/--skip (the API's only/skip). */
export function filteredResult(check: Check): CheckResult {
  return skipResult(check, 'filtered', 'not selected by --only/--skip')
}
