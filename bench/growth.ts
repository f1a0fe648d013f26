import type { ExpressSessionModule, SessionStore } from '../src/types.js'
import { forEachConcurrently } from './concurrently.js'
import { measure, type Measurement } from './measure.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { GROWTH_OPERATIONS, type GrowthCell, type GrowthOperation } from './report.js'
import { acrossRuns } from './stats.js'
import { storeCalls } from './store-calls.js'
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
  readonly expressSession: ExpressSessionModule
  readonly onProgress?: (message: string) => void
}

/**
 * How get, length and all cost as a store fills up: each store is grown to every size in turn
 * (sessions are added, never rewritten), then each operation it has is measured there, in
 * `runs` passes with the store order rotated. Everything it wrote is destroyed at the end.
 */
export async function measureGrowth(targets: readonly GrowthTarget[], options: GrowthOptions): Promise<GrowthCell[]> {
  const workspaces = targets.map((target) => ({
    target,
    workspace: new Workspace({ calls: storeCalls(target.store), store: target.store, expressSession: options.expressSession, payloadBytes: PAYLOAD_BYTES[options.payload], poolSize: 0 }),
    ids: [] as string[],
  }))
  const log = new Map<string, Measurement[]>()
  const cells: GrowthCell[] = []
  try {
    for (const size of [...options.sessions].sort((a, b) => a - b)) {
      for (const { target, workspace, ids } of workspaces) {
        options.onProgress?.(`growing ${target.name} to ${size.toLocaleString('en-US')} sessions`)
        const added = Array.from({ length: Math.max(0, size - ids.length) }, () => workspace.freshId())
        await forEachConcurrently(added, GROW_CONCURRENCY, (sid) => workspace.write(sid))
        ids.push(...added)
      }
      for (let run = 0; run < options.runs; run++) {
        for (let index = 0; index < workspaces.length; index++) {
          const { target, ids } = workspaces[(index + run) % workspaces.length] as (typeof workspaces)[number]
          for (const operation of GROWTH_OPERATIONS) {
            const call = growthCall(operation, target.store, ids, run + 1)
            if (!call) continue
            options.onProgress?.(`run ${run + 1}/${options.runs} · ${target.name} · ${operation} at ${size.toLocaleString('en-US')} sessions`)
            const scans = operation !== 'get'
            const result = await measure(`${target.name} ${operation} ${size}`, call, {
              timeMs: options.timeMs,
              iterations: scans ? SCAN_ITERATIONS : 64,
              warmupMs: scans ? 0 : Math.min(20, options.timeMs / 2),
            })
            const key = `${target.name}|${operation}|${size}`
            log.set(key, [...(log.get(key) ?? []), result])
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
    return cells
  } finally {
    for (const { target, workspace } of workspaces) {
      options.onProgress?.(`removing ${target.name}'s ${workspace.written.toLocaleString('en-US')} grown sessions`)
      await workspace.cleanup()
    }
  }
}

/** The timed call for one growth operation, or undefined when the store does not have it. */
function growthCall(operation: GrowthOperation, store: SessionStore, ids: readonly string[], seed: number): (() => Promise<unknown>) | undefined {
  if (operation === 'get') {
    const pick = zipfSampler(ids.length, { seed })
    const { get } = storeCalls(store)
    return () => get(ids[pick()] as string)
  }
  const method = store[operation]
  if (typeof method !== 'function') return undefined
  return () =>
    new Promise((resolve, reject) => {
      ;(method as (callback: (error: unknown, value: unknown) => void) => void).call(store, (error, value) => (error ? reject(error) : resolve(value)))
    })
}
