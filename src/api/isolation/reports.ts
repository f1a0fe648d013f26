import { filteredResult, skipResult } from '../../core/skip-result.js'
import type { Check, CheckResult, RunProblem, RunReport } from '../../core/types.js'
import { summarize } from '../../core/verdict.js'
import { tool } from '../../core/version.js'
import type { ChildState } from './child-state.js'
import {
  isRecord,
  text,
  trustedCapabilities,
  trustedProblems,
  trustedResult,
  trustedStoreInfo,
  trustedStrings,
  trustedTiming,
} from './trusted.js'

interface ReportContext {
  readonly store: string
  /** Whether an unavailable backend fails this run (RunOptions.require, resolved). */
  readonly required: boolean
  readonly checks: readonly Check[]
  readonly isSelected: (check: Check) => boolean
  readonly startedAt: Date
  readonly state: ChildState
}

/** The child finished: its report, rebuilt from the parent's catalogue, plus what the parent saw. */
export function finishedReport(context: ReportContext, raw: unknown, problems: readonly RunProblem[]): RunReport {
  const report = isRecord(raw) ? raw : {}
  const sent = new Map<string, unknown>()
  for (const entry of Array.isArray(report.results) ? report.results : []) {
    if (isRecord(entry) && typeof entry.id === 'string' && !sent.has(entry.id)) sent.set(entry.id, entry)
  }
  const missing: string[] = []
  const results = context.checks.map((check) => {
    const result = trustedResult(sent.get(check.id), check) ?? context.state.results.get(check.id)
    if (result) return result
    missing.push(check.id)
    return notFinished(check, "the store's process sent no result for this check")
  })
  const all = [...problems, ...trustedProblems(report.problems)]
  if (missing.length > 0) {
    all.push({ kind: 'protocol', message: `the store's process sent no result for ${missing.slice(0, 5).join(', ')}` })
  }
  const store = isRecord(report.store) ? report.store : {}
  return {
    ...base(context, results),
    store: {
      name: context.store,
      ...trustedStoreInfo(store),
      unavailable: text(store.unavailable),
      // Decided here, from the options and the catalogue of built-ins, not by the store's process.
      required: text(store.unavailable) === undefined ? undefined : context.required,
      error: text(store.error),
    },
    capabilities: trustedCapabilities(report.capabilities),
    timing: trustedTiming(report.timing),
    strayErrors: trustedStrings(report.strayErrors),
    cleanupError: text(report.cleanupError),
    problems: all.length > 0 ? all : undefined,
  }
}

/** The child ended early: the results it sent, the check it was in failed, the rest not run. */
export function partialReport(context: ReportContext, problems: readonly RunProblem[]): RunReport {
  const { state } = context
  const why = problems.at(-1)?.message ?? "the store's process ended early"
  // The check whose call was running fails; the others it took down with it did not finish.
  const culprit = state.culprit()
  const results = context.checks.map((check): CheckResult => {
    const result = state.results.get(check.id)
    if (result) return result
    if (!context.isSelected(check)) return filteredResult(check)
    if (check.id === culprit) return notFinished(check, why)
    const when = state.started.has(check.id) ? 'did not finish' : 'not run'
    return skipResult(check, 'interrupted', `${when}: ${why}`)
  })
  return {
    ...base(context, results),
    store: { name: context.store, ...state.info },
    capabilities: trustedCapabilities(undefined),
    problems,
  }
}

function base(context: ReportContext, results: CheckResult[]) {
  return {
    schemaVersion: 1 as const,
    tool,
    startedAt: context.startedAt.toISOString(),
    durationMs: Date.now() - context.startedAt.getTime(),
    summary: summarize(results),
    results,
  }
}

function notFinished(check: Check, why: string): CheckResult {
  const { id, group, level, title } = check
  return {
    id,
    group,
    level,
    title,
    durationMs: 0,
    status: 'fail',
    message: why,
    impact: 'In an application the same would take the server process down, with every request in flight.',
  }
}
