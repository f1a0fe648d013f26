import { forEachConcurrently } from '../core/concurrently.js'
import { firstLineOf } from '../core/errors.js'
import { callStoreMethod, storeCalls } from '../core/store-calls.js'
import type { ExpressSessionModule, SessionStore } from '../core/types.js'
import { formatCount } from './format-count.js'
import { type Measurement, measure } from './measure.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { type BenchFailure, GROWTH_OPERATIONS, type GrowthCell, type GrowthOperation } from './report.js'
import { rotate } from './rotate.js'
import { acrossRuns } from './stats.js'
import { Workspace } from './workspace.js'
import { zipfSampler } from './zipf.js'

/** Sessions written at once while growing a store. */
const GROW_CONCURRENCY = 32
/** length() and all() read every session: a few calls are enough and all that is affordable at 100 k. */
const SCAN_ITERATIONS = 3

export interface GrowthTarget {
  readonly name: string
  readonly store: SessionStore
}

export interface GrowthOptions {
  /** Stored-session counts to measure at, grown in ascending order. */
  readonly sessions: readonly number[]
  readonly payload: PayloadSize
  readonly runs: number
  readonly timeMs: number
  /** Untimed calls before each get window (scans take none: they are few and slow). */
  readonly warmupMs: number
  /** A measurement fails when no call settles for this long. */
  readonly timeoutMs?: number
  readonly expressSession: ExpressSessionModule
  readonly onProgress?: (message: string) => void
  readonly signal?: AbortSignal
}

/**
 * How get, length and all cost as a store fills up: each store is grown to every size in turn
 * (sessions are added, never rewritten), then each operation it has is measured there, in
 * `runs` passes with the store order rotated. Everything it wrote is destroyed at the end.
 */
export async function measureGrowth(targets: readonly GrowthTarget[], options: GrowthOptions): Promise<GrowthResult> {
  const growth = new Growth(targets, options)
  try {
    for (const size of [...options.sessions].sort((a, b) => a - b)) {
      options.signal?.throwIfAborted()
      await growth.growTo(size)
      for (let run = 1; run <= options.runs; run++) {
        options.signal?.throwIfAborted()
        await growth.measureAt(size, run)
      }
      growth.fileCells(size)
    }
    return { cells: growth.cells, failures: growth.failures }
  } finally {
    await growth.cleanup()
  }
}

/** One store being grown: what it holds, and whether growing it failed (then it is measured no further). */
interface GrownStore {
  readonly target: GrowthTarget
  readonly workspace: Workspace
  readonly ids: string[]
  failed: boolean
}

/** The state of one growth measurement: the stores, each size's measurements, the cells and failures so far. */
class Growth {
  readonly cells: GrowthCell[] = []
  readonly failures: BenchFailure[] = []
  readonly #stores: GrownStore[]
  readonly #log = new Map<string, Measurement[]>()

  constructor(
    targets: readonly GrowthTarget[],
    readonly options: GrowthOptions,
  ) {
    this.#stores = targets.map((target) => {
      const { expressSession, payload } = options
      const calls = storeCalls(target.store)
      const payloadBytes = PAYLOAD_BYTES[payload]
      const workspace = new Workspace({ calls, store: target.store, expressSession, payloadBytes, poolSize: 0 })
      return { target, workspace, ids: [], failed: false }
    })
  }

  /** Adds sessions to every store still in the measurement until it holds `size`. */
  async growTo(size: number): Promise<void> {
    for (const store of this.#stores.filter(({ failed }) => !failed)) {
      const { target, workspace, ids } = store
      this.options.onProgress?.(`growing ${target.name} to ${formatCount(size)} sessions`)
      const added = Array.from({ length: Math.max(0, size - ids.length) }, () => workspace.freshId())
      try {
        await forEachConcurrently(added, GROW_CONCURRENCY, (sid) => workspace.write(sid))
        ids.push(...added)
      } catch (error) {
        store.failed = true
        this.#fail(target.name, 'set', size, 1, error)
      }
    }
  }

  /** One run of every operation on every store at `size`, the store order rotated by the run. */
  async measureAt(size: number, run: number): Promise<void> {
    for (const { target, ids, failed } of rotate(this.#stores, run - 1)) {
      if (failed) continue
      for (const operation of GROWTH_OPERATIONS) {
        const call = growthCall(operation, target.store, ids, run)
        if (!call) continue
        this.options.onProgress?.(
          `run ${run}/${this.options.runs} · ${target.name} · ${operation} at ${formatCount(size)} sessions`,
        )
        const scans = operation !== 'get'
        try {
          const result = await measure(`${target.name} ${operation} ${size}`, call, {
            timeMs: this.options.timeMs,
            iterations: scans ? SCAN_ITERATIONS : 64,
            warmupMs: scans ? 0 : this.options.warmupMs,
            stallMs: this.options.timeoutMs,
          })
          const key = `${target.name}|${operation}|${size}`
          this.#log.set(key, [...(this.#log.get(key) ?? []), result])
        } catch (error) {
          this.#fail(target.name, operation, size, run, error)
        }
      }
    }
  }

  /** The cells at `size`: medians across the runs that succeeded. */
  fileCells(size: number): void {
    for (const { target } of this.#stores) {
      for (const operation of GROWTH_OPERATIONS) {
        const runs = this.#log.get(`${target.name}|${operation}|${size}`)
        if (!runs) continue
        const p50 = acrossRuns(runs.map((run) => run.latency.p50))
        const p99 = acrossRuns(runs.map((run) => run.latency.p99))
        this.cells.push({ store: target.name, operation, sessions: size, runs, p50, p99 })
      }
    }
  }

  /** Destroys every session the measurement wrote. */
  async cleanup(): Promise<void> {
    for (const { target, workspace } of this.#stores) {
      this.options.onProgress?.(`removing ${target.name}'s ${formatCount(workspace.written)} grown sessions`)
      await workspace.cleanup()
    }
  }

  #fail(store: string, operation: GrowthOperation | 'set', sessions: number, run: number, error: unknown): void {
    const { payload } = this.options
    this.failures.push({
      store,
      target: 'store',
      operation,
      payload,
      concurrency: 1,
      run,
      sessions,
      error: firstLineOf(error),
    })
  }
}

export interface GrowthResult {
  readonly cells: GrowthCell[]
  /** Growing (operation `set`) or a measurement that failed; a store whose growing failed is measured no further. */
  readonly failures: BenchFailure[]
}

/** The timed call for one growth operation, or undefined when the store does not have it. */
function growthCall(
  operation: GrowthOperation,
  store: SessionStore,
  ids: readonly string[],
  seed: number,
): (() => Promise<unknown>) | undefined {
  if (operation === 'get') {
    const pick = zipfSampler(ids.length, { seed })
    const { get } = storeCalls(store)
    return () => get(ids[pick()] as string)
  }
  if (typeof store[operation] !== 'function') return undefined
  return () => callStoreMethod(store, operation)
}
