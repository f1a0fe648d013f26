import type { RunReport } from '../core/types.js'
import type { RunOptions } from './run-options.js'

/**
 * Runs the conformance suite against one store and returns the report. Bad input (a missing
 * module, a module with nothing usable, a factory that throws, an unknown check id) rejects with a
 * ConformanceError; anything the store does wrong ends up in the results instead.
 *
 * A store given by name or path runs in a process of its own (isolation/run-isolated.ts), so it
 * cannot end the run, exhaust this process's memory or forge its report. A store given as a live
 * object, or custom checks (functions cannot cross a process boundary), run in this process.
 * Each path loads only what it needs: the parent of an isolated run never loads a store's code.
 */
export async function runConformance(options: RunOptions): Promise<RunReport> {
  if (typeof options.store === 'string' && options.isolate !== false && options.checks === undefined) {
    const { runIsolated } = await import('./isolation/run-isolated.js')
    return runIsolated({ ...options, store: options.store })
  }
  const { runInProcess } = await import('./run-in-process.js')
  return runInProcess(options)
}
