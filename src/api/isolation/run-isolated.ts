import { boundText } from '../../core/bounded.js'
import { ConformanceError, ERROR_CODES, type ErrorCode } from '../../core/errors.js'
import { checkGranularity, checkTimeout, DEFAULT_TIMEOUT_MS } from '../../core/limits.js'
import { selectChecks } from '../../core/select-checks.js'
import type { RunProblem, RunReport } from '../../core/types.js'
import { unavailableFails } from '../required.js'
import type { RunOptions } from '../run-options.js'
import { describeEnd } from './child-end.js'
import { ChildState } from './child-state.js'
import { DEFAULT_MEMORY_LIMIT_MB, launchChild } from './launch.js'
import type { ChildRunOptions } from './protocol.js'
import { finishedReport, partialReport } from './reports.js'
import { killGroup, superviseChild } from './supervise.js'

/**
 * Runs the suite on a store given by name or path in a process of its own, and builds the report
 * here from what that process sent, checked against this process's catalogue. The store cannot
 * end the run early, exhaust this process's memory or forge its verdict: if its process exits,
 * crashes, runs out of memory or stops answering, the report says so, names the call that was
 * running, and the run fails.
 */
export async function runIsolated(options: RunOptions & { readonly store: string }): Promise<RunReport> {
  const startedAt = new Date()
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB
  // Started first, so its start-up (Node, the runner) overlaps what this side loads; bad options
  // still fail before it is told to load the store, and it is killed.
  const child = launchChild(memoryLimitMb)
  const prepared = await prepare(options).catch((error: unknown) => {
    killGroup(child)
    throw error
  })
  const { catalogue, isSelected, timeoutMs, required } = prepared
  const state = new ChildState(new Map(catalogue.map((check) => [check.id, check])), {
    onReady: (info) => options.onRunStart?.({ store: options.store, checks: catalogue.filter(isSelected), info }),
    onCheckStart: options.onCheckStart,
    onCheckResult: options.onCheckResult,
  })
  const end = await superviseChild(child, state, childOptions(options, timeoutMs), {
    hangMs: Math.max(10_000, 3 * timeoutMs),
    progressMs: Math.max(60_000, 12 * timeoutMs),
    memoryLimitMb,
    signal: options.signal,
  })
  const context = { store: options.store, checks: catalogue, isSelected, startedAt, state, required }
  if (state.loadError && !state.ready) throw loadError(state.loadError)
  const protocol: RunProblem[] = state.violations.map((message) => ({
    kind: 'protocol',
    message: `the store's process broke the harness protocol: ${message}; its results cannot be trusted`,
  }))
  if (state.loadError) {
    // The runner itself failed once checks were under way: what finished stands, the run fails.
    const message = `the run stopped early: ${state.loadError.message}`
    return partialReport(context, [...protocol, { kind: 'run-aborted', message }])
  }
  if (state.report !== undefined && end.kind === 'exited' && end.code === 0) {
    return finishedReport(context, state.report, protocol)
  }
  const ended = describeEnd(end, state, memoryLimitMb)
  if (!state.ready) {
    throw new ConformanceError(
      'SC_MODULE_LOAD_FAILED',
      `${options.store}: ${ended.message} while the store was loading`,
    )
  }
  return partialReport(context, [...protocol, ended])
}

function childOptions(options: RunOptions & { readonly store: string }, timeoutMs: number): ChildRunOptions {
  return {
    store: options.store,
    cwd: options.cwd ?? process.cwd(),
    backendUrl: options.backendUrl,
    faults: options.faults,
    only: options.only,
    skip: options.skip,
    timeoutMs,
    ttlGranularityMs: options.ttlGranularityMs,
    allowClear: options.allowClear,
    require: options.require,
  }
}

/** The child's load error, raised here as the same ConformanceError it would be in process. */
function loadError(error: NonNullable<ChildState['loadError']>): ConformanceError {
  const known = (ERROR_CODES as readonly unknown[]).includes(error.code)
  const code = (known ? error.code : 'SC_MODULE_LOAD_FAILED') as ErrorCode
  const raised = new ConformanceError(code, boundText(error.message, 4000))
  if (error.stack) raised.stack = error.stack
  return raised
}

/** The options checked, and what this side needs loaded (the catalogue, the built-ins). */
async function prepare(options: RunOptions & { readonly store: string }) {
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'SC_BAD_OPTION', 'timeoutMs')
  if (options.ttlGranularityMs !== undefined)
    checkGranularity(options.ttlGranularityMs, 'SC_BAD_OPTION', 'ttlGranularityMs')
  const [{ checks: catalogue }, { backendOf, builtinAdapterNames }] = await Promise.all([
    import('../../suites/index.js'),
    import('../../backends/index.js'),
  ])
  const isSelected = selectChecks(catalogue, options.only, options.skip)
  // Only a built-in store's backend may be unavailable; whether that fails the run is decided here.
  const { store } = options
  const builtin = builtinAdapterNames.includes(store)
  const required = unavailableFails(options.require, { name: store, builtin, backend: backendOf(store)?.name })
  return { catalogue, isSelected, timeoutMs, required }
}
