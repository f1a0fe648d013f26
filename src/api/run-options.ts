import type { FaultMethod } from '../backends/faultable.js'
import type { CallLog } from '../core/runner/check-scope.js'
import type { Check, RunObserver, StoreProvider } from '../core/types.js'

export interface RunOptions extends RunObserver {
  /** A built-in store name (`memory`), a module path, or an already-normalised provider. */
  store: string | StoreProvider
  /** The checks to run. @default the whole catalogue */
  checks?: readonly Check[]
  /** Run only these check ids or groups. */
  only?: readonly string[]
  /** Skip these check ids or groups. */
  skip?: readonly string[]
  /**
   * Per-call timeout in ms.
   * @default 3000
   */
  timeoutMs?: number
  /** Let `clear()` run even if the store held sessions before the run. @default false */
  allowClear?: boolean
  /** Overrides the store's declared or detected TTL granularity (ms). */
  ttlGranularityMs?: number
  /** Directory module paths are resolved from. @default process.cwd() */
  cwd?: string
  /** Backend URL for a built-in adapter; wins over the environment (REDIS_URL, …). */
  backendUrl?: string
  /**
   * How the fault checks make a built-in store's backend fail: `process` signals a server the
   * tool starts for them, `proxy` cuts the run's own backend off through a TCP proxy.
   * @default `process` where the server binary is on PATH, else `proxy`
   */
  faults?: FaultMethod
  /**
   * Fail, rather than skip, when the store's backend is unavailable: `true`, or the store and
   * backend names that are required (`['redis', 'postgres']`, `['all']`), as --require takes them.
   * @default false
   */
  require?: boolean | readonly string[]
  /**
   * Run a store given by name or path in a process of its own (the default), where it cannot end
   * the run, exhaust this process's memory or forge its report. `false` loads it here.
   * @default true
   */
  isolate?: boolean
  /** The memory cap of the store's process, in MB (isolated runs). @default 1024 */
  memoryLimitMb?: number
  /**
   * Aborting it interrupts the run: checks stop, the run's data is removed and the store closed,
   * and the report (checks not finished skipped as interrupted) says so.
   */
  signal?: AbortSignal
  /** Told of every store call (the isolated child uses it to report calls in flight). */
  callLog?: CallLog
}
