import { firstLineOf } from '../core/errors.js'
import { callStoreMethod, storeCalls } from '../core/store-calls.js'
import type { ExpressSessionModule, SessionStore } from '../core/types.js'
import { forEachConcurrently } from './concurrently.js'
import { type Measurement, measure } from './measure.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { type BenchFailure, GROWTH_OPERATIONS, type GrowthCell, type GrowthOperation } from './report.js'
import { rotate } from './rotate.js'
import { acrossRuns } from './stats.js'
import { Workspace } from './workspace.js'
import { zipfSampler } from './zipf.js'

/** A session count as people read it: 100,000. */
const count = (sessions: number) => sessions.toLocaleString('en-US')

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
  readonly expressSession: ExpressSessionModule
  readonly onProgress?: (message: string) => void
}

/**
 * How get, length and all cost as a store fills up: each store is grown to every size in turn
 * (sessions are added, never rewritten), then each operation it has is measured there, in
 * `runs` passes with the store order rotated. Everything it wrote is destroyed at the end.
 */
export async function measureGrowth(targets: readonly GrowthTarget[], options: GrowthOptions): Promise<GrowthResult> {
  const workspaces = targets.map((target) => ({
    target,
    workspace: new Workspace({
      calls: storeCalls(target.store),
      store: target.store,
      expressSession: options.expressSession,
      payloadBytes: PAYLOAD_BYTES[options.payload],
      poolSize: 0,
    }),
    ids: [] as string[],
    /** Set when growing failed: the store is measured no further. */
    failed: false,
  }))
  const log = new Map<string, Measurement[]>()
  const cells: GrowthCell[] = []
  const failures: BenchFailure[] = []
  const fail = (store: string, operation: GrowthOperation | 'set', sessions: number, run: number, error: unknown) =>
    failures.push({
      store,
      target: 'store',
      operation,
      payload: options.payload,
      concurrency: 1,
      run,
      sessions,
      error: firstLineOf(error),
    })
  try {
    for (const size of [...options.sessions].sort((a, b) => a - b)) {
      for (const entry of workspaces.filter(({ failed }) => !failed)) {
        const { target, workspace, ids } = entry
        options.onProgress?.(`growing ${target.name} to ${count(size)} sessions`)
        const added = Array.from({ length: Math.max(0, size - ids.length) }, () => workspace.freshId())
        try {
          await forEachConcurrently(added, GROW_CONCURRENCY, (sid) => workspace.write(sid))
          ids.push(...added)
        } catch (error) {
          entry.failed = true
          fail(target.name, 'set', size, 1, error)
        }
      }
      for (let run = 0; run < options.runs; run++) {
        for (const { target, ids, failed } of rotate(workspaces, run)) {
          if (failed) continue
          for (const operation of GROWTH_OPERATIONS) {
            const call = growthCall(operation, target.store, ids, run + 1)
            if (!call) continue
            options.onProgress?.(
              `run ${run + 1}/${options.runs} · ${target.name} · ${operation} at ${count(size)} sessions`,
            )
            const scans = operation !== 'get'
            try {
              const result = await measure(`${target.name} ${operation} ${size}`, call, {
                timeMs: options.timeMs,
                iterations: scans ? SCAN_ITERATIONS : 64,
                warmupMs: scans ? 0 : options.warmupMs,
              })
              const key = `${target.name}|${operation}|${size}`
              log.set(key, [...(log.get(key) ?? []), result])
            } catch (error) {
              fail(target.name, operation, size, run + 1, error)
            }
          }
        }
      }
      for (const { target } of workspaces) {
        for (const operation of GROWTH_OPERATIONS) {
          const runs = log.get(`${target.name}|${operation}|${size}`)
          if (!runs) continue
          cells.push({
            store: target.name,
            operation,
            sessions: size,
            runs,
            p50: acrossRuns(runs.map((run) => run.latency.p50)),
            p99: acrossRuns(runs.map((run) => run.latency.p99)),
          })
        }
      }
    }
    return { cells, failures }
  } finally {
    for (const { target, workspace } of workspaces) {
      options.onProgress?.(`removing ${target.name}'s ${count(workspace.written)} grown sessions`)
      await workspace.cleanup()
    }
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
