import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks'
import type { SessionStore, StoreCallGate } from '../types.js'

/** A gate as the app keeps it: spent once it has held one call. */
export interface HeldGate {
  readonly method: StoreCallGate['method']
  readonly at: StoreCallGate['at']
  readonly opened: Promise<void>
  spent: boolean
  /** Tells the check the call is being held (resolves its `reached`). */
  hold(): void
}

/** One client's gates, and the store calls its requests made, in order. */
export interface ClientCalls {
  readonly gates: HeldGate[]
  readonly calls: string[]
}

/** The client whose request the store call serves (set by the app for each request). */
export const requestCalls = new AsyncLocalStorage<ClientCalls>()

const GATED = new Set<string | symbol>(['get', 'set', 'destroy', 'touch'])

/**
 * The store as the test app hands it to express-session: each call a client's request makes is
 * recorded, and held where the client set a gate, so two overlapping requests interleave in
 * exactly the order a check chose, every run, instead of by luck of timing.
 */
export function gatedStore(store: SessionStore): SessionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown
      if (!GATED.has(property) || typeof value !== 'function') return value
      const method = property as HeldGate['method']
      return (...args: unknown[]) => {
        const last = args.length - 1
        // The answer resumes express-session in the request's context even where the store's client
        // calls back from its socket's (memcached's does): the request's next store call keeps its
        // client's gates, and anything it throws stays with the check that sent it.
        if (typeof args[last] === 'function')
          args[last] = AsyncResource.bind(args[last] as (...a: unknown[]) => unknown)
        const client = requestCalls.getStore()
        if (!client) return value.apply(target, args)
        client.calls.push(method)
        const gate = client.gates.find((entry) => !entry.spent && entry.method === method)
        if (!gate) return value.apply(target, args)
        gate.spent = true
        const callback = typeof args[last] === 'function' ? (args[last] as (...results: unknown[]) => void) : undefined
        if (gate.at === 'after' && callback) {
          args[last] = (...results: unknown[]) => {
            gate.hold()
            void gate.opened.then(() => callback(...results))
          }
          return value.apply(target, args)
        }
        gate.hold()
        void gate.opened.then(() => value.apply(target, args))
        return undefined
      }
    },
  })
}
