import { createRequire } from 'node:module'
import { checks as catalogue } from '../suites/index.js'
import { resolveCapabilities } from './capabilities.js'
import { messageOf } from './errors.js'
import { checkGranularity, checkTimeout } from './limits.js'
import { createStore, loadStoreModule } from './load-store.js'
import { isExpectedError, scopeStorage, type StrayError } from './runner/check-scope.js'
import { captureProcessErrors } from './runner/process-errors.js'
import { executeChecks } from './runner/run-checks.js'
import { selectChecks } from './select-checks.js'
import { tool } from './version.js'
import { BackendUnavailableError } from '../adapters/_backends/errors.js'
import type { Check, CheckResult, ExpressSessionModule, Gate, RunOptions, RunReport, RunSummary, SessionStore, StoreProvider } from './types.js'

const DEFAULT_TIMEOUT_MS = 3000
/** Adapters close in steps of up to 10 s each (see adapters/_cleanup.ts). */
const CLOSE_TIMEOUT_MS = 60_000


/** The express-session module this package depends on: passed to factories and used to build sessions. */
export const expressSession = createRequire(import.meta.url)('express-session') as ExpressSessionModule

/**
 * Runs the conformance suite against one store and returns the report. Bad input (a missing
 * module, a module with nothing usable, a factory that throws, an unknown check id) rejects with a
 * ConformanceError; anything the store does wrong ends up in the results instead.
 */
export async function runConformance(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date()
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  checkTimeout(timeoutMs, 'SC_BAD_OPTION', 'timeoutMs')
  if (options.ttlGranularityMs !== undefined) checkGranularity(options.ttlGranularityMs, 'SC_BAD_OPTION', 'ttlGranularityMs')
  const isSelected = selectChecks(catalogue, options.only, options.skip)
  const provider: StoreProvider =
    typeof options.store === 'string' ? await loadStoreModule(options.store, options.cwd, options.backendUrl) : options.store

  const unattributed: StrayError[] = []
  const runId = Symbol(provider.name)
  // Errors inside a check go to its scope (every concurrent run's handler sees the same scope and
  // records it once, on the scope); errors outside any check belong to this run.
  const release = captureProcessErrors((kind, error) => {
    const scope = scopeStorage.getStore()
    if (scope) {
      if (scope.run === runId) scope.recordProcessError(kind, error)
    } else if (!isExpectedError(error)) {
      unattributed.push({ kind, source: 'the store', error })
    }
  })
  try {
    let store: SessionStore
    try {
      store = await createStore(provider, expressSession)
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error
      return notRunReport({
        reason: 'unavailable',
        message: error.reason,
        store: { name: provider.name, ...provider.info?.(), unavailable: error.message, required: options.require ?? false },
        isSelected,
        startedAt,
      })
    }
    let closed = false
    try {
      const capabilities = resolveCapabilities(store, provider.capabilities, options.ttlGranularityMs)
      options.onRunStart?.({ store: provider.name, checks: catalogue.filter(isSelected) })
      const outcome = await executeChecks({
        store,
        expressSession,
        capabilities,
        checks: catalogue,
        isSelected,
        timeoutMs,
        allowClear: options.allowClear ?? false,
        runId,
        ...(options.onCheckResult ? { onCheckResult: options.onCheckResult } : {}),
      })
      closed = true
      const cleanupError = await closeStore(provider, store)
      const strayErrors = [...outcome.strayErrors, ...unattributed]
      return {
        schemaVersion: 1,
        tool,
        store: { name: provider.name, ...provider.info?.() },
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        capabilities,
        ...(outcome.timing ? { timing: outcome.timing } : {}),
        summary: summarize(outcome.results),
        results: outcome.results,
        ...(strayErrors.length > 0 ? { strayErrors: strayErrors.map((stray) => `${stray.kind}: ${messageOf(stray.error)}`) } : {}),
        ...(cleanupError ? { cleanupError } : {}),
      }
    } finally {
      // Something above threw before the store was closed: close it anyway.
      if (!closed) await closeStore(provider, store)
    }
  } finally {
    release()
  }
}

/**
 * Whether the run fails at this gate: a gating check failed, or an error escaped the store
 * outside any check (it would crash an application just the same).
 */
export function runFailed(report: RunReport, gate: Gate = 'required'): boolean {
  if (report.store.unavailable) return report.store.required === true
  return gatingFailures(report, gate).length > 0 || (report.strayErrors?.length ?? 0) > 0 || report.cleanupError !== undefined
}

/** How a store that could not be run at all is reported: every check skipped with the reason. */
export interface NotRun {
  readonly reason: 'unavailable' | 'not-runnable'
  /** Why, and what would help (shown with every skipped check). */
  readonly message: string
  readonly store: RunReport['store']
  readonly isSelected?: (check: Check) => boolean
  readonly startedAt?: Date
}

export function notRunReport({ reason, message, store, isSelected = () => true, startedAt = new Date() }: NotRun): RunReport {
  const results: CheckResult[] = catalogue.map((check) => ({
    id: check.id,
    group: check.group,
    level: check.level,
    title: check.title,
    durationMs: 0,
    status: 'skip',
    ...(isSelected(check) ? { reason, message } : { reason: 'filtered', message: 'not selected by --only/--skip' }),
  }))
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

export function summarize(results: readonly CheckResult[]): RunSummary {
  const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length
  return { passed: count('pass'), failed: count('fail'), warned: count('warn'), skipped: count('skip') }
}

/** The checks whose failure fails the run at this gate. */
export function gatingFailures(report: RunReport, gate: Gate = 'required'): CheckResult[] {
  const gated = gate === 'required' ? ['required'] : ['required', 'recommended']
  return report.results.filter((result) => result.status === 'fail' && gated.includes(result.level))
}

/** Closes the store within CLOSE_TIMEOUT_MS; says what went wrong instead of throwing. */
async function closeStore(provider: StoreProvider, store: SessionStore): Promise<string | undefined> {
  if (!provider.close) return undefined
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`close() did not finish within ${CLOSE_TIMEOUT_MS / 1000} s`), CLOSE_TIMEOUT_MS)))
  const closed = Promise.resolve()
    .then(() => provider.close?.(store))
    .then(
      () => undefined,
      (error: unknown) => messageOf(error),
    )
  const problem = await Promise.race([closed, timedOut])
  clearTimeout(timer)
  return problem
}
