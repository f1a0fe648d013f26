import type { SessionStore, StoreMethod } from '../src/types.js'

/**
 * What the bench calls: a store's callback API as promises, or a raw backend client (or the
 * no-op harness target) with the same shape.
 */
export interface StoreCalls {
  get(sid: string): Promise<unknown>
  set(sid: string, session: unknown): Promise<void>
  touch(sid: string, session: unknown): Promise<void>
  destroy(sid: string): Promise<void>
}

/** One store method called with `args` and a callback, as a promise: a callback error rejects. */
export function callStoreMethod<T>(store: SessionStore, method: StoreMethod, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    ;(store[method] as (...a: unknown[]) => unknown).call(store, ...args, (err: unknown, value: T) => (err ? reject(err) : resolve(value)))
  })
}

/** A store's calls as promises. A callback error rejects, except ENOENT from get: a miss, as express-session reads it. */
export function storeCalls(store: SessionStore): StoreCalls {
  const call = <T>(method: StoreMethod, ...args: unknown[]) => callStoreMethod<T>(store, method, ...args)
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

/**
 * A target that does nothing: what the harness itself costs per operation (building sessions,
 * picking ids, promise plumbing, tinybench's loop). Reported so no one reads it as store time.
 */
export const noopCalls: StoreCalls = {
  get: async () => undefined,
  set: async () => {},
  touch: async () => {},
  destroy: async () => {},
}
