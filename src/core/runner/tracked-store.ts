import type { SessionStore, StoreMethod } from '../types.js'
import { callStarted } from './calls-in-flight.js'
import { scopeStorage } from './check-scope.js'

const TRACKED = new Set<string | symbol>(['get', 'set', 'destroy', 'touch'])

/**
 * The store as express-session is given it: the same object, but each get/set/destroy/touch the
 * middleware makes is listed as in flight (for the check whose request it serves) until it calls
 * back, so a request that hangs can say which store call it waits on. Methods run with the store
 * itself as `this` (private fields work); everything else passes through untouched.
 */
export function trackedStore(store: SessionStore): SessionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown
      if (!TRACKED.has(property) || typeof value !== 'function') return value
      const method = property as StoreMethod
      return (...args: unknown[]) => {
        const scope = scopeStorage.getStore()
        const last = args.length - 1
        if (!scope || typeof args[last] !== 'function') return value.apply(target, args)
        const done = callStarted({ scope, method, omitCallback: false })
        const callback = args[last] as (...results: unknown[]) => unknown
        args[last] = (...results: unknown[]) => {
          done()
          return callback(...results)
        }
        return value.apply(target, args)
      }
    },
  })
}
