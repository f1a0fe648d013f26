import type { Check, CheckResult, SkipReason } from './types.js'

/** A check that did not run, and why. */
export function skipResult(check: Check, reason: SkipReason, message: string): CheckResult {
  const { id, group, level, title } = check
  return { id, group, level, title, durationMs: 0, status: 'skip', reason, message }
}
