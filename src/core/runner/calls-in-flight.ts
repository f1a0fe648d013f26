import { setTimeout } from '../timers.js'
import type { StoreMethod } from '../types.js'
import type { CheckScope } from './check-scope.js'

/** A store call that may still be doing work: answered calls leave, calls without a callback stay. */
export interface CallInFlight {
  readonly scope: CheckScope
  readonly method: StoreMethod
  /** Made without a callback (destroy(sid)): its work is not over until its check ends. */
  readonly omitCallback: boolean
}

/**
 * Every store call still at work, process-wide, so an error thrown where the store's library lost
 * the async context (its own queue, a socket event) can still be traced to the call that started
 * the work. Calls without a callback stay listed until their check ends: nothing else says when
 * their work is done.
 */
const inFlight = new Set<CallInFlight>()

/** The call whose callback ran in this macrotask: a throw right after it is that call's. */
let lastAnswered: CallInFlight | undefined

/** Lists a call (and tells its check's call log, which the store's process reports to the parent). */
export function callStarted(call: CallInFlight): () => void {
  inFlight.add(call)
  const logged = call.scope.callLog?.started(call.scope.id, call.method)
  return () => {
    logged?.()
    if (!call.omitCallback) inFlight.delete(call)
  }
}

/**
 * Errors the store passed to a callback, and the call: the same error object thrown again where
 * the context was lost (the store re-emits its client's error) is that call's escape.
 */
const answeredErrors = new WeakMap<object, CallInFlight>()

export function callAnswered(call: CallInFlight, error?: unknown): void {
  if (typeof error === 'object' && error !== null) answeredErrors.set(error, call)
  lastAnswered = call
  // Only a throw in the same task, right after the callback returned, is that call's.
  queueMicrotask(() => {
    if (lastAnswered === call) lastAnswered = undefined
  })
}

/**
 * The check is over: its calls without a callback had their chance, but keep them listed a moment
 * longer, because the store's own "done" (where a missing callback throws) comes with the effect
 * the check was waiting for, or just after it.
 */
export function checkEnded(scope: CheckScope): void {
  setTimeout(() => {
    for (const call of inFlight) if (call.scope === scope) inFlight.delete(call)
  }, AFTER_CHECK_MS).unref()
}

const AFTER_CHECK_MS = 200

/** The store calls a check is still waiting on, e.g. to say what a request that timed out waited for. */
export function pendingCalls(scope: CheckScope): StoreMethod[] {
  return [...inFlight].filter((call) => call.scope === scope && !call.omitCallback).map((call) => call.method)
}

const MISSING_CALLBACK = /\b(callback|cb|fn|done|next|cb\d?)\b.*\bis not a function\b/i

/**
 * Which call of run `run` an error with no async context came from, or undefined when it cannot
 * be known: the only call made without a callback, for a "callback is not a function"; the call
 * whose callback was given this very error; the call whose callback ran in the same task, just
 * before the throw.
 */
export function originOf(error: unknown, run: symbol): CallInFlight | undefined {
  const candidates = [...inFlight].filter((call) => call.scope.run === run && !call.scope.id.startsWith('('))
  const message = error instanceof Error ? `${error.name}: ${error.message}` : ''
  const withoutCallback = candidates.filter((call) => call.omitCallback)
  // First: a queue that drains several jobs in one turn answers others just before the one it fails.
  if (MISSING_CALLBACK.test(message) && withoutCallback.length === 1) return withoutCallback[0]
  const reported = typeof error === 'object' && error !== null ? answeredErrors.get(error) : undefined
  if (reported && reported.scope.run === run && !reported.scope.id.startsWith('(')) return reported
  if (lastAnswered && lastAnswered.scope.run === run && !lastAnswered.scope.id.startsWith('(')) return lastAnswered
  // Anything else (a reaper, a pool's timer) stays the run's: blaming whichever call happens to be
  // in flight would fail a check for what the store does on its own.
  return undefined
}

/** The fault check each run is running, if any: fault checks run alone, one at a time. */
const faulting = new Map<symbol, CheckScope>()

/**
 * A fault check starts (or, with undefined, has closed its instances): an error with no async
 * context meanwhile is what the failing backend provoked in the store (a client's 'error' event
 * re-thrown, a pool's socket callback), and the check is the only one calling the store.
 */
export function faultCheckRunning(run: symbol, scope: CheckScope | undefined): void {
  if (scope) faulting.set(run, scope)
  else faulting.delete(run)
}

/** The check whose backend fault was under way when an error lost its context; undefined if none. */
export function faultingCheck(run: symbol): CheckScope | undefined {
  return faulting.get(run)
}
