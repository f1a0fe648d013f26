import { filteredResult, skipResult } from '../core/skip-result.js'
import type { Check, RunReport } from '../core/types.js'
import { summarize } from '../core/verdict.js'
import { tool } from '../core/version.js'

/** How a store that could not be run at all is reported: every check skipped with the reason. */
export interface NotRun {
  readonly reason: 'unavailable' | 'not-runnable'
  /** Why, and what would help (shown with every skipped check). */
  readonly message: string
  readonly store: RunReport['store']
  readonly checks: readonly Check[]
  readonly isSelected?: (check: Check) => boolean
  readonly startedAt?: Date
}

export function notRunReport({
  reason,
  message,
  store,
  checks,
  isSelected = () => true,
  startedAt = new Date(),
}: NotRun): RunReport {
  const results = checks.map((check) =>
    isSelected(check) ? skipResult(check, reason, message) : filteredResult(check),
  )
  return {
    schemaVersion: 1,
    tool,
    store,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    capabilities: { touch: false, length: false, all: false, clear: false, ttlGranularityMs: undefined },
    summary: summarize(results),
    results,
  }
}
