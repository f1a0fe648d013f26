import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks'
import type { SessionStore, StoreCallGate } from '../types.js'
import { callStarted } from './calls-in-flight.js'
import { scopeStorage } from './check-scope.js'

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

const APP_METHODS = new Set<string | symbol>(['get', 'set', 'destroy', 'touch'])

/**
 * Answers of one call that reach express-session: a second shows what it does to the app; more
 * only add load (a store calling back 10,000 times, times 64 requests), and
 * callbacks.exactly-once counts them all anyway.
 */
const DELIVERED_ANSWERS = 2

/**
 * The store as the test app hands it to express-session: the same object (methods run with it
 * as `this`, so private fields work), but each get/set/destroy/touch a request makes is
 *  - listed as in flight for the check whose request it serves until it calls back, so a request
 *    that hangs can say which store call it waits on;
 *  - recorded for the client that sent the request, and held where that client set a gate, so two
 *    overlapping requests interleave in exactly the order a check chose, every run;
 *  - answered in the request's async context, even where the store's client calls back from its
 *    socket's (memcached's does), so the request's next call keeps its client's gates.
 */
export function appFacingStore(store: SessionStore): SessionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown
      if (!APP_METHODS.has(property) || typeof value !== 'function') return value
      const method = property as HeldGate['method']
      return (...args: unknown[]) => {
        const client = requestCalls.getStore()
        client?.calls.push(method)
        const gate = client?.gates.find((entry) => !entry.spent && entry.method === method)
        if (gate) gate.spent = true
        const last = args.length - 1
        if (typeof args[last] === 'function') {
          args[last] = answerTo(args[last] as Answer, method, gate?.at === 'after' ? gate : undefined)
        }
        if (gate?.at !== 'before') return value.apply(target, args)
        gate.hold()
        void gate.opened.then(() => value.apply(target, args))
        return undefined
      }
    },
  })
}

type Answer = (...results: unknown[]) => unknown

/** The callback the store is given in place of express-session's: see appFacingStore. */
function answerTo(callback: Answer, method: HeldGate['method'], heldAfter: HeldGate | undefined): Answer {
  const scope = scopeStorage.getStore()
  const done = scope ? callStarted({ scope, method, omitCallback: false }) : undefined
  const resume = AsyncResource.bind((...results: unknown[]) => {
    done?.()
    return callback(...results)
  })
  let answers = 0
  return (...results) => {
    answers += 1
    if (answers > DELIVERED_ANSWERS) return undefined
    if (!heldAfter || answers > 1) return resume(...results)
    heldAfter.hold()
    void heldAfter.opened.then(() => resume(...results))
    return undefined
  }
}
