import { runToken } from '../adapters/_packages.js'
import { buildSession } from '../src/runner/session-builder.js'
import type { ExpressSessionModule, SessionStore } from '../src/types.js'
import { sessionData } from './payloads.js'
import { zipfSampler } from './zipf.js'

/** The store calls express-session makes, one benchmark task each. */
export const OPERATIONS = ['get-hit', 'get-miss', 'set-new', 'set-update', 'touch', 'destroy'] as const
export type OperationName = (typeof OPERATIONS)[number]

/** A store's callback API as promises (a callback error rejects, except ENOENT from get: a miss, as express-session reads it). */
export interface StoreCalls {
  get(sid: string): Promise<unknown>
  set(sid: string, session: unknown): Promise<void>
  touch(sid: string, session: unknown): Promise<void>
  destroy(sid: string): Promise<void>
}

export function storeCalls(store: SessionStore): StoreCalls {
  const call = <T>(method: 'get' | 'set' | 'touch' | 'destroy', ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      ;(store[method] as (...a: unknown[]) => unknown).call(store, ...args, (err: unknown, value: T) => (err ? reject(err) : resolve(value)))
    })
  return {
    get: (sid) =>
      call('get', sid).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'ENOENT') return undefined
        throw error
      }),
    set: (sid, session) => call('set', sid, session),
    touch: (sid, session) => call('touch', sid, session),
    destroy: (sid) => call('destroy', sid),
  }
}

/** A prepared operation: the timed call, an optional untimed step before each, and cleanup. */
export interface PreparedOperation {
  readonly fn: () => Promise<unknown>
  readonly beforeEach?: () => Promise<unknown>
  cleanup(): Promise<void>
}

export interface PrepareOptions {
  /** What is measured: a store's calls (storeCalls) or a raw backend client with the same shape. */
  readonly target: StoreCalls
  /** The store sessions are built with (express-session's createSession on it). */
  readonly store: SessionStore
  readonly expressSession: ExpressSessionModule
  readonly payloadBytes: number
  /** Sessions pre-seeded for hits, updates and touches, chosen with Zipf skew. @default 100 */
  readonly poolSize?: number
  readonly seed?: number
}

/**
 * Prepares one operation on a pre-seeded pool of sessions (real express-session Sessions with the
 * payload), inside a random id namespace; cleanup() destroys every id it created.
 */
export async function prepareOperation(operation: OperationName, options: PrepareOptions): Promise<PreparedOperation> {
  const calls = options.target
  const prefix = `sc-bench-${runToken()}-`
  const data = sessionData(options.payloadBytes, options.seed)
  const session = (sid: string) => buildSession(options.store, options.expressSession, sid, data)
  const created = new Set<string>()
  let counter = 0
  const fresh = () => `${prefix}${(counter++).toString(36)}`

  const pool = Array.from({ length: options.poolSize ?? 100 }, fresh)
  const needsPool = operation === 'get-hit' || operation === 'set-update' || operation === 'touch'
  if (needsPool) {
    for (const sid of pool) {
      await calls.set(sid, session(sid))
      created.add(sid)
    }
  }
  const pick = zipfSampler(pool.length, { seed: options.seed ?? 1 })
  const pooled = pool.map((sid) => ({ sid, session: session(sid) }))
  const cleanup = async () => {
    await Promise.all([...created].map((sid) => calls.destroy(sid).catch(() => {})))
    created.clear()
  }

  switch (operation) {
    case 'get-hit':
      return { fn: () => calls.get((pooled[pick()] as { sid: string }).sid), cleanup }
    case 'get-miss':
      return { fn: () => calls.get(fresh()), cleanup }
    case 'set-new':
      return {
        fn: () => {
          const sid = fresh()
          created.add(sid)
          return calls.set(sid, session(sid))
        },
        cleanup,
      }
    case 'set-update':
    case 'touch': {
      const method = operation === 'touch' ? calls.touch : calls.set
      return {
        fn: () => {
          const entry = pooled[pick()] as { sid: string; session: ReturnType<typeof session> }
          entry.session.touch()
          return method(entry.sid, entry.session)
        },
        cleanup,
      }
    }
    case 'destroy': {
      const queue: string[] = []
      return {
        beforeEach: async () => {
          const sid = fresh()
          await calls.set(sid, session(sid))
          queue.push(sid)
        },
        fn: () => calls.destroy(queue.shift() as string),
        cleanup,
      }
    }
  }
}
