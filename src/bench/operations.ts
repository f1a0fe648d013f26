import { parseMix } from './mix.js'
import { seededRandom } from './random.js'
import type { PooledSession, Workspace } from './workspace.js'
import { zipfSampler } from './zipf.js'

/** The store calls express-session makes, one benchmark task each. */
export const OPERATIONS = ['get-hit', 'get-miss', 'set-new', 'set-update', 'touch', 'destroy'] as const
export type OperationName = (typeof OPERATIONS)[number]
/** A request mix (see mix.ts): one sample is one request, get then touch or set. */
export type MixOperation = `mix:${string}`
export type BenchOperation = OperationName | MixOperation

/** A prepared operation: the timed call, and an optional untimed step before each. */
export interface PreparedOperation {
  readonly fn: () => Promise<unknown>
  readonly beforeEach?: () => Promise<unknown>
}

/**
 * Prepares one operation on a workspace: hits, updates, touches and mixes pick pool sessions
 * with Zipf skew (seeded, so every target sees the same ids); set-new writes new sessions (built
 * untimed), which destroy then removes, writing more only when they run out (untimed, and left
 * out of ops/s).
 */
export async function prepareOperation(
  operation: BenchOperation,
  workspace: Workspace,
  seed = 1,
): Promise<PreparedOperation> {
  const { calls, pool } = workspace
  const pick = zipfSampler(pool.length, { seed })
  const pooled = () => pool[pick()] as Workspace['pool'][number]
  if (operation === 'get-hit' || operation === 'set-update' || operation === 'touch' || operation.startsWith('mix:'))
    await workspace.seedPool()

  switch (operation) {
    case 'get-hit':
      return { fn: () => calls.get(pooled().sid) }
    case 'get-miss':
      return { fn: () => calls.get(workspace.freshId()) }
    case 'set-new': {
      // The Session is built untimed, as express-session builds it before it calls the store.
      const ready: PooledSession[] = []
      return {
        beforeEach: async () => {
          const sid = workspace.freshId()
          ready.push({ sid, session: workspace.session(sid) })
        },
        fn: async () => {
          const { sid, session } = ready.shift() as PooledSession
          await workspace.write(sid, session)
          workspace.spare.push(sid)
        },
      }
    }
    case 'set-update':
    case 'touch': {
      const method = operation === 'touch' ? calls.touch : calls.set
      return {
        fn: () => {
          const { sid, session } = pooled()
          session.touch()
          return method(sid, session)
        },
      }
    }
    case 'destroy': {
      // One id per beforeEach, taken by the call that follows it, even with many in flight.
      const ready: string[] = []
      return {
        beforeEach: async () => {
          const spare = workspace.spare.pop()
          if (spare !== undefined) return void ready.push(spare)
          const sid = workspace.freshId()
          await workspace.write(sid)
          ready.push(sid)
        },
        fn: () => workspace.remove(ready.shift() as string),
      }
    }
    default:
      return mixRequest(operation, workspace, pooled, seed)
  }
}

/** One request of a mix: get, then touch (the session was only read) or set (it changed). */
function mixRequest(
  operation: MixOperation,
  workspace: Workspace,
  pooled: () => Workspace['pool'][number],
  seed: number,
): PreparedOperation {
  const { readShare } = parseMix(operation.slice('mix:'.length))
  const random = seededRandom(seed)
  const { calls } = workspace
  let visits = 0
  return {
    fn: async () => {
      const { sid, session } = pooled()
      await calls.get(sid)
      session.touch()
      if (random() < readShare) return calls.touch(sid, session)
      ;(session as unknown as Record<string, unknown>).visits = ++visits
      return calls.set(sid, session)
    },
  }
}
