import { forEachConcurrently } from '../core/concurrently.js'
import { firstLineOf } from '../core/errors.js'
import { callStoreMethod, storeCalls } from '../core/store-calls.js'
import type { ExpressSessionModule, SessionStore } from '../core/types.js'
import { type MeasureWindow, sampleInRounds, WindowFailed } from './adaptive.js'
import { sidesOf } from './cells.js'
import { formatCount } from './format-count.js'
import { measure } from './measure.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { type BenchFailure, GROWTH_OPERATIONS, type GrowthCell, type GrowthOperation } from './report.js'
import { Workspace } from './workspace.js'
import { zipfSampler } from './zipf.js'

/** Sessions written at once while growing a store. */
const GROW_CONCURRENCY = 32

export interface GrowthTarget {
  readonly name: string
  readonly store: SessionStore
}

export interface GrowthOptions {
  /** Stored-session counts to measure at, grown in ascending order. */
  readonly sessions: readonly number[]
  readonly payload: PayloadSize
  readonly windowMs: number
  /** Untimed calls before the first get window (scans take none: they are few and slow). */
  readonly warmupMs: number
  readonly targetPct: number
  readonly cellCapMs: number
  /** A measurement fails when no call settles for this long. */
  readonly timeoutMs?: number
  readonly expressSession: ExpressSessionModule
  readonly onProgress?: (message: string) => void
  readonly signal?: AbortSignal
}

/**
 * How get, length and all cost as a store fills up: each store is grown to every size in turn
 * (sessions are added, never rewritten), then each operation it has is sampled there adaptively
 * (get in windows of calls, length and all a call per window: they read every session).
 * Everything it wrote is destroyed at the end.
 */
export async function measureGrowth(targets: readonly GrowthTarget[], options: GrowthOptions): Promise<GrowthResult> {
  const growth = new Growth(targets, options)
  try {
    for (const size of [...options.sessions].sort((a, b) => a - b)) {
      options.signal?.throwIfAborted()
      await growth.growTo(size)
      await growth.measureAt(size)
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

  /** Every operation on every store at `size`, sampled in rounds (adaptive.ts). */
  async measureAt(size: number): Promise<void> {
    const cells = this.#stores
      .filter(({ failed }) => !failed)
      .flatMap(({ target, ids }) =>
        GROWTH_OPERATIONS.map((operation) => ({ target, operation, call: growthCall(operation, target.store, ids) })),
      )
      .filter((cell): cell is typeof cell & { call: () => Promise<unknown> } => cell.call !== undefined)
    const sampled = await sampleInRounds(
      cells.map(({ target, operation, call }) => ({
        headline: 'p50' as const,
        sides: { store: this.#window(target.name, operation, size, call) },
      })),
      {
        targetPct: this.options.targetPct,
        capMs: this.options.cellCapMs,
        signal: this.options.signal,
        onTurn: (index, round) => {
          const { target, operation } = cells[index] as (typeof cells)[number]
          this.options.onProgress?.(
            `round ${round + 1} · ${target.name} · ${operation} at ${formatCount(size)} sessions`,
          )
        },
      },
    )
    for (const [index, { target, operation }] of cells.entries()) {
      const { resolved, ...windows } = sampled[index] as (typeof sampled)[number]
      const { store } = sidesOf(windows, 'p50')
      if (!store) continue
      const { p50, p99 } = store.figures
      this.cells.push({ store: target.name, operation, sessions: size, windows: store.windows, resolved, p50, p99 })
    }
  }

  /** One window of a growth cell: get in windows of calls, length and all one call each (they read every session). */
  #window(store: string, operation: GrowthOperation, size: number, call: () => Promise<unknown>): MeasureWindow {
    const scans = operation !== 'get'
    return async ({ window, firstOfTurn }) => {
      try {
        return await measure(`${store} ${operation} ${size}`, call, {
          timeMs: scans ? 0 : this.options.windowMs,
          iterations: scans ? 1 : 64,
          warmupMs: scans ? 0 : firstOfTurn ? this.options.warmupMs : this.options.warmupMs / 10,
          stallMs: this.options.timeoutMs,
          collectGarbage: true,
        })
      } catch (error) {
        this.#fail(store, operation, size, window + 1, error)
        throw new WindowFailed()
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

  #fail(store: string, operation: GrowthOperation | 'set', sessions: number, window: number, error: unknown): void {
    const { payload } = this.options
    this.failures.push({
      store,
      target: 'store',
      operation,
      payload,
      concurrency: 1,
      window,
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
): (() => Promise<unknown>) | undefined {
  if (operation === 'get') {
    const pick = zipfSampler(ids.length, { seed: 1 })
    const { get } = storeCalls(store)
    return () => get(ids[pick()] as string)
  }
  if (typeof store[operation] !== 'function') return undefined
  return () => callStoreMethod(store, operation)
}
