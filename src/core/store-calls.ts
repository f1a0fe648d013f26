import { isMissError } from './miss.js'
import type { SessionStore, StoreCalls, StoreMethod } from './types.js'

/** One store method called with `args` and a callback, as a promise: a callback error rejects. */
export function callStoreMethod<T>(store: SessionStore, method: StoreMethod, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fn = store[method] as (...a: unknown[]) => unknown
    fn.call(store, ...args, (err: unknown, value: T) => (err ? reject(err) : resolve(value)))
  })
}

/** A store's calls as promises. A callback error rejects, except a miss reported as an error. */
export function storeCalls(store: SessionStore): StoreCalls {
  const call = <T>(method: StoreMethod, ...args: unknown[]) => callStoreMethod<T>(store, method, ...args)
  return {
    get: (sid) =>
      call('get', sid).catch((error: unknown) => {
        if (isMissError(error)) return undefined
        throw error
      }),
    set: (sid, session) => call('set', sid, session),
    touch: (sid, session) => call('touch', sid, session),
    destroy: (sid) => call('destroy', sid),
  }
}
