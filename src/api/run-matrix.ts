import type { FaultMethod } from '../backends/faultable.js'
import { assertBuiltinNames, builtinAdapterNames, loadAdapter } from '../backends/index.js'
import { adapterInfo } from '../backends/info.js'
import { environment } from '../core/environment.js'
import { isConformanceError, messageOf } from '../core/errors.js'
import type { MatrixReport, RunReport, StoreInfo } from '../core/types.js'
import { tool } from '../core/version.js'
import { checks } from '../suites/index.js'
import { notRunReport } from './not-run-report.js'
import { isRequired } from './required.js'
import { runConformance } from './run-conformance.js'

export interface MatrixOptions {
  /** Built-in store names; all of them by default. */
  readonly stores?: readonly string[]
  /** Backend kinds or store names whose unavailability fails the matrix ('all' for every one). */
  readonly require?: readonly string[]
  readonly timeoutMs?: number
  /** How the fault checks fail each backend (see RunOptions.faults). */
  readonly faults?: FaultMethod
  readonly onStoreDone?: (report: RunReport) => void
  /** Interrupts the store being run (its data is removed) and the stores not yet run are not started. */
  readonly signal?: AbortSignal
}

/**
 * Runs the suite on every built-in store. Stores on different backends run concurrently; stores
 * sharing a backend kind run one after another so they do not skew each other's timing.
 */
export async function runMatrix(options: MatrixOptions = {}): Promise<MatrixReport> {
  const names = options.stores?.length ? options.stores : builtinAdapterNames
  assertBuiltinNames(names)
  const adapters = await Promise.all(names.map(loadAdapter))
  const lanes = new Map<string, typeof adapters>()
  for (const adapter of adapters) {
    const lane = adapter.backend ?? `in-process:${adapter.name}`
    lanes.set(lane, [...(lanes.get(lane) ?? []), adapter])
  }

  const reports = new Map<string, RunReport>()
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const adapter of lane) {
        if (options.signal?.aborted) break
        const required = isRequired(options.require ?? [], adapter.name, adapter.backend)
        // Each store in a process of its own, by name; one store's trouble (a bad URL, a missing
        // driver) is recorded and the others still run.
        const run = {
          store: adapter.name,
          require: required,
          timeoutMs: options.timeoutMs,
          faults: options.faults,
          signal: options.signal,
        }
        const info = { ...adapterInfo(adapter), backend: adapter.backend ? { kind: adapter.backend } : undefined }
        const report = await runConformance(run).catch((error: unknown) =>
          storeNotRun(adapter.name, info, error, required),
        )
        reports.set(adapter.name, report)
        options.onStoreDone?.(report)
      }
    }),
  )
  return {
    schemaVersion: 1,
    tool,
    generatedAt: new Date().toISOString(),
    environment: environment(),
    // An interrupted matrix lists the stores it got to.
    reports: names.flatMap((name) => reports.get(name) ?? []),
  }
}

/**
 * A store the matrix could not run. A missing or unsupported optional package is the same as a missing
 * backend (unavailable, with the install command); anything else is recorded as an error.
 */
function storeNotRun(name: string, info: StoreInfo, error: unknown, required: boolean): RunReport {
  const message = messageOf(error)
  const unavailable =
    isConformanceError(error) &&
    (error.code === 'SC_ADAPTER_DEPENDENCY_MISSING' || error.code === 'SC_ADAPTER_DEPENDENCY_VERSION')
  return notRunReport({
    reason: unavailable ? 'unavailable' : 'not-runnable',
    message,
    store: {
      name,
      ...info,
      unavailable: message,
      required: unavailable ? required : true,
      error: unavailable ? undefined : message,
    },
    checks,
  })
}

/**
 * What a matrix run means for a CI gate: stores that could not be run and
 * required backends that were missing.
 */
export function matrixProblems(matrix: MatrixReport): { errored: RunReport[]; missingRequired: RunReport[] } {
  return {
    errored: matrix.reports.filter((report) => report.store.error),
    missingRequired: matrix.reports.filter((report) => report.store.unavailable && report.store.required === true),
  }
}
