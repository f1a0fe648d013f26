import { builtinAdapterNames } from '../backends/index.js'
import { BackendUnavailableError } from '../backends/unavailable.js'
import { BoundedList, boundText } from '../core/bounded.js'
import { resolveCapabilities } from '../core/capabilities.js'
import { withDeadline } from '../core/deadline.js'
import { ConformanceError, messageOf } from '../core/errors.js'
import { expressSession } from '../core/express-session.js'
import { changedIntrinsics, snapshotIntrinsics } from '../core/intrinsics.js'
import { checkGranularity, checkTimeout, DEFAULT_TIMEOUT_MS } from '../core/limits.js'
import { faultingCheck, originOf } from '../core/runner/calls-in-flight.js'
import type { LoopBlock } from '../core/runner/check-scope.js'
import { CheckScope, isExpectedError, type StrayError, scopeStorage } from '../core/runner/check-scope.js'
import { captureProcessErrors } from '../core/runner/process-errors.js'
import { type ExecuteOutcome, executeChecks } from '../core/runner/run-checks.js'
import { selectChecks } from '../core/select-checks.js'
import { filteredResult, skipResult } from '../core/skip-result.js'
import type { Check, CheckResult, RunProblem, RunReport, SessionStore, StoreProvider } from '../core/types.js'
import { summarize } from '../core/verdict.js'
import { tool } from '../core/version.js'
import { checks as catalogue } from '../suites/index.js'
import { BackendWatch } from './backend-watch.js'
import { createStore, loadStoreModule } from './load-store.js'
import { notRunReport } from './not-run-report.js'
import { unavailableFails } from './required.js'
import type { RunOptions } from './run-options.js'

type PeerFactory = NonNullable<StoreProvider['peer']>
type Faultable = NonNullable<StoreProvider['faultable']>

/** Runs in progress in this process: an error with no async context can be traced only when there is one. */
const activeRuns = new Set<symbol>()

/** Scopes of the run itself rather than of a check (cleanup's errors are nobody's business). */
const isRunLevel = (scope: CheckScope) => scope.id.startsWith('(') && scope.id !== '(cleanup)'

/** Adapters close in steps of up to 10 s each (see backends/_cleanup.ts). */
const CLOSE_TIMEOUT_MS = 60_000

/**
 * The run in this process: the store is loaded here and the checks call it directly. Bounded and
 * attributed (stray errors, blocking calls, replaced built-ins are reported), but a store that
 * exits or exhausts memory takes this process with it; runConformance isolates by default.
 */
export async function runInProcess(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date()
  // Taken before the store module loads: what it replaces afterwards is tampering.
  const intrinsics = snapshotIntrinsics()
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'SC_BAD_OPTION', 'timeoutMs')
  if (options.ttlGranularityMs !== undefined)
    checkGranularity(options.ttlGranularityMs, 'SC_BAD_OPTION', 'ttlGranularityMs')
  const checks = options.checks ?? catalogue
  const isSelected = selectChecks(checks, options.only, options.skip)
  const provider =
    typeof options.store === 'string'
      ? await loadStoreModule(options.store, options.cwd, options.backendUrl, options.faults)
      : options.store
  const run = { provider, checks, isSelected, timeoutMs, startedAt, intrinsics }
  const runId = Symbol(provider.name)
  const unattributed = new BoundedList<StrayError>()
  // Errors inside a check go to its scope (every concurrent run's handler sees the same scope and
  // records it once, on the scope); errors outside any check belong to this run.
  // The store is made in a scope of this run: its own timers, queues and sockets carry it, so what
  // they throw is known to be this run's even when the store lost the context of the call.
  const storeScope = new CheckScope('(store)', runId)
  const release = captureProcessErrors((kind, error) => {
    const scope = scopeStorage.getStore()
    if (scope && scope.run !== runId) return
    // Thrown where the store's library lost the call's context (its own queue, a socket event, a
    // microtask): traced to the call that started the work where that can be known. With no
    // context at all, only when this is the process's only run (always so in the store's process).
    const lost = scope ? isRunLevel(scope) : activeRuns.size === 1
    const origin = lost ? originOf(error, runId) : undefined
    const faulting = lost && !origin ? faultingCheck(runId) : undefined
    if (faulting) return faulting.recordProcessError(kind, error, 'the store while its backend was failing')
    if (!origin) {
      if (scope) scope.recordProcessError(kind, error)
      else if (!isExpectedError(error)) unattributed.push({ kind, source: 'the store', error })
      return
    }
    const how = origin.omitCallback ? ' without a callback' : ''
    origin.scope.recordProcessError(kind, error, `${origin.method}()${how}, thrown outside the call's async context`)
  })
  activeRuns.add(runId)
  try {
    let store: SessionStore
    try {
      store = await scopeStorage.run(storeScope, () => createStore(provider, expressSession))
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error
      // Only a built-in store's backend may be "unavailable" (a skip); a module saying so failed.
      if (typeof options.store === 'string' && !builtinAdapterNames.includes(options.store)) {
        const message = `${provider.name}: the store factory threw: ${error.message}`
        throw new ConformanceError('SC_STORE_CREATE_FAILED', message, { cause: error })
      }
      const required = unavailableFails(options.require, {
        name: provider.name,
        builtin: typeof options.store !== 'string' || builtinAdapterNames.includes(options.store),
        backend: provider.info?.().backend?.kind,
      })
      const info = { name: provider.name, ...provider.info?.(), unavailable: error.message, required }
      return notRunReport({ reason: 'unavailable', message: error.reason, store: info, checks, isSelected, startedAt })
    }
    return await runOnStore(store, { ...run, runId, unattributed, storeScope, options })
  } finally {
    activeRuns.delete(runId)
    release()
  }
}

interface RunContext {
  readonly provider: StoreProvider
  readonly checks: readonly Check[]
  readonly isSelected: (check: Check) => boolean
  readonly timeoutMs: number
  readonly startedAt: Date
  readonly runId: symbol
  /** Errors that escaped the store outside any check, collected by the process-wide handler. */
  readonly unattributed: BoundedList<StrayError>
  /** The scope the store (and its peers) were made in: what their own timers throw lands here. */
  readonly storeScope: CheckScope
  readonly intrinsics: ReturnType<typeof snapshotIntrinsics>
  readonly options: RunOptions
}

/** The checks on a created store; the store is closed whatever happens, and a failed close is reported. */
async function runOnStore(store: SessionStore, run: RunContext): Promise<RunReport> {
  const { provider, options } = run
  let closed = false
  try {
    const capabilities = resolveCapabilities(store, provider.capabilities, options.ttlGranularityMs)
    options.onRunStart?.({ store: provider.name, checks: run.checks.filter(run.isSelected), info: provider.info?.() })
    const watch = await watchBackend(provider)
    const settled = new Map<string, CheckResult>()
    let aborted: RunProblem | undefined
    const outcome = await executeChecks({
      store,
      expressSession,
      capabilities,
      checks: run.checks,
      isSelected: run.isSelected,
      timeoutMs: run.timeoutMs,
      allowClear: options.allowClear ?? false,
      runId: run.runId,
      onCheckStart: options.onCheckStart,
      onCheckResult: (result) => {
        settled.set(result.id, result)
        options.onCheckResult?.(result)
      },
      callLog: options.callLog,
      signal: options.signal,
      backendFaults: watch,
      peer:
        provider.peer && (() => scopeStorage.run(run.storeScope, () => (provider.peer as PeerFactory)(expressSession))),
      backendExpiry: provider.backendExpiry && ((sid) => provider.backendExpiry?.(sid) ?? Promise.resolve(undefined)),
      faultable: provider.faultable && (() => (provider.faultable as Faultable)(expressSession)),
      faultsUnavailable: provider.faultsUnavailable,
      outsideNamespace:
        provider.outsideNamespace && ((marker) => provider.outsideNamespace?.(marker) ?? Promise.resolve(undefined)),
    }).catch(async (error: unknown) => {
      // The store threw where the runner itself reads it (a Proxy, a getter): keep what finished.
      aborted = { kind: 'run-aborted', message: boundText(`the run stopped early: ${messageOf(error)}`) }
      await watch?.settle()
      return abortedOutcome(run, settled)
    })
    closed = true
    const cleanupError = await closeStore(provider, store)
    const stray = BoundedList.merge([outcome.strayErrors, run.unattributed, run.storeScope.strayErrors])
    const strayErrors = stray.kept.map((entry) => boundText(`${entry.kind}: ${messageOf(entry.error)}`))
    if (stray.dropped > 0) strayErrors.push(`(+${stray.dropped} more errors that escaped the store)`)
    const problems = [
      ...(aborted ? [aborted] : []),
      ...(watch?.problems() ?? []),
      ...blockProblems(outcome.blocks),
      ...tamperProblems(run.intrinsics),
      ...interruptProblems(options.signal, provider, cleanupError),
    ]
    return {
      schemaVersion: 1,
      tool,
      store: { name: provider.name, ...provider.info?.() },
      startedAt: run.startedAt.toISOString(),
      durationMs: Date.now() - run.startedAt.getTime(),
      capabilities,
      timing: outcome.timing,
      summary: summarize(outcome.results),
      results: outcome.results,
      strayErrors: strayErrors.length > 0 ? strayErrors : undefined,
      cleanupError: cleanupError === undefined ? undefined : boundText(cleanupError),
      problems: problems.length > 0 ? problems : undefined,
    }
  } finally {
    // Something above threw before the store was closed: close it anyway.
    if (!closed) await closeStore(provider, store)
  }
}

/** A watch on the store's backend server, when it has one that can say who it is. */
async function watchBackend(provider: StoreProvider): Promise<BackendWatch | undefined> {
  const kind = provider.info?.().backend?.kind
  if (!provider.backendInstance || kind === undefined) return undefined
  const watch = new BackendWatch(kind, (timeoutMs) => provider.backendInstance?.(timeoutMs) ?? Promise.reject())
  await watch.start()
  return watch
}

/** What is left of a run the runner could not finish: the results it had, the rest not run. */
function abortedOutcome(run: RunContext, settled: ReadonlyMap<string, CheckResult>): ExecuteOutcome {
  const results = run.checks.map(
    (check) =>
      settled.get(check.id) ??
      (run.isSelected(check)
        ? skipResult(check, 'interrupted', 'not run: the run stopped early')
        : filteredResult(check)),
  )
  return { results, timing: undefined, strayErrors: new BoundedList(), blocks: new BoundedList() }
}

/** Calls that held the event loop: a store defect every request of an app pays for. */
function blockProblems(blocks: BoundedList<LoopBlock>): RunProblem[] {
  const problems: RunProblem[] = blocks.kept.map((block) => ({
    kind: 'event-loop-blocked',
    message:
      `${block.method}() blocked the event loop for ${(block.durationMs / 1000).toFixed(1)} s (during ` +
      `${block.checkId}): every request of an app waits that long`,
  }))
  if (blocks.dropped > 0)
    problems.push({ kind: 'event-loop-blocked', message: `(+${blocks.dropped} more blocking calls)` })
  return problems
}

/** An interrupted run says so, and whether the run's data was removed. */
function interruptProblems(
  signal: AbortSignal | undefined,
  provider: StoreProvider,
  cleanupError: string | undefined,
): RunProblem[] {
  if (!signal?.aborted) return []
  const namespace = provider.info?.().namespace
  const removed = cleanupError === undefined ? `; removed what the run wrote${namespace ? ` (${namespace})` : ''}` : ''
  return [{ kind: 'interrupted', message: `interrupted (${messageOf(signal.reason)})${removed}` }]
}

/** Built-ins the store replaced: the checks ran on them, so their verdicts cannot be trusted. */
function tamperProblems(intrinsics: RunContext['intrinsics']): RunProblem[] {
  const changed = changedIntrinsics(intrinsics)
  if (changed.length === 0) return []
  const names = boundText(changed.join(', '), 300)
  return [
    {
      kind: 'tampered',
      message: `the store replaced built-ins the checks rely on (${names}): no verdict can be trusted`,
    },
  ]
}

/** Closes the store within CLOSE_TIMEOUT_MS; says what went wrong instead of throwing. */
async function closeStore(provider: StoreProvider, store: SessionStore): Promise<string | undefined> {
  if (!provider.close) return undefined
  const closing = Promise.resolve().then(() => provider.close?.(store))
  return withDeadline(closing, CLOSE_TIMEOUT_MS, `close() did not finish within ${CLOSE_TIMEOUT_MS / 1000} s`).then(
    () => undefined,
    (error: unknown) => messageOf(error),
  )
}
