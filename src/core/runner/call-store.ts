import { performance } from 'node:perf_hooks'
import { clearTimeout, setImmediate, setTimeout } from '../timers.js'
import type { CallOptions, CallOutcome, SessionStore, StoreMethod } from '../types.js'
import { type CallInFlight, callAnswered, callStarted } from './calls-in-flight.js'
import { scopeStorage } from './check-scope.js'

/**
 * A call whose synchronous part takes this long held the event loop: every request of an app
 * waits behind it. Far above what a busy machine adds to a synchronous call.
 */
export const LOOP_BLOCK_MS = 1000

/** A timeout timer this late says the process, not the store, was slow. */
const LATE_TIMER_MS = 50
/** How many times a late timeout timer re-arms before the call counts as timed out. */
const LATE_TIMER_EXTENSIONS = 2

/** Misbehaviour seen around a call that the caller did not wait for. */
export type CallViolation =
  | {
      readonly kind: 'double-callback'
      readonly method: StoreMethod
      readonly calls: number
      /** The repeat came after the callback threw: callbacks.callback-throws' finding, not exactly-once's. */
      readonly afterThrow: boolean
    }
  | { readonly kind: 'rejected'; readonly method: StoreMethod; readonly error: unknown }
  | { readonly kind: 'threw-after-callback'; readonly method: StoreMethod; readonly error: unknown }
  | { readonly kind: 'blocked'; readonly method: StoreMethod; readonly durationMs: number; readonly endedAt: number }

export interface CallSettings extends CallOptions {
  readonly timeoutMs: number
  readonly onViolation: (violation: CallViolation) => void
}

/**
 * Calls one store method once and reports what happened. Never throws and never hangs: a
 * synchronous throw, a timeout and a callback are all outcomes. Anything that happens after the
 * outcome is settled (a second callback, a rejected promise) goes to `onViolation`.
 */
export function callStore(
  store: SessionStore,
  method: StoreMethod,
  args: readonly unknown[],
  settings: CallSettings,
): Promise<CallOutcome> {
  return new Promise<CallOutcome>((resolve) => new StoreCall(method, settings, resolve).run(store, args))
}

/** One call in flight: counts its callbacks, tells a throw from a callback, and settles once. */
class StoreCall {
  readonly #started = performance.now()
  #calls = 0
  #lastArgs: readonly unknown[] = []
  #returned = false
  #settled = false
  #timer: NodeJS.Timeout | undefined
  #done: (() => void) | undefined
  #inFlight: CallInFlight | undefined
  /** An error the callback itself threw (the callback-throws check) is the caller's, not the store's. */
  #callbackError: unknown = noError

  constructor(
    readonly method: StoreMethod,
    readonly settings: CallSettings,
    readonly resolve: (outcome: CallOutcome) => void,
  ) {}

  run(store: SessionStore, args: readonly unknown[]): void {
    const { omitCallback, timeoutMs } = this.settings
    const scope = scopeStorage.getStore()
    if (scope) {
      this.#inFlight = { scope, method: this.method, omitCallback: Boolean(omitCallback) }
      this.#done = callStarted(this.#inFlight)
    }
    let result: unknown
    try {
      // Read inside the try: a getter or a Proxy trap may throw, which is the store throwing.
      const fn = store[this.method] as (...a: unknown[]) => unknown
      result = fn.apply(store, omitCallback ? [...args] : [...args, this.#callback])
    } catch (error) {
      this.#noteBlock()
      this.#returned = true
      if (this.#calls === 0) this.#settle({ kind: 'threw', error })
      else if (error !== this.#callbackError)
        this.settings.onViolation({ kind: 'threw-after-callback', method: this.method, error })
      return
    }
    this.#noteBlock()
    this.#returned = true
    if (isThenable(result)) this.#watch(result)
    else if (omitCallback) this.#settleReturned()
    if (!this.#settled) this.#armTimeout(timeoutMs, LATE_TIMER_EXTENSIONS)
  }

  /**
   * The timeout, unless this process was too busy to tell: a timer that fires well after its time
   * means the event loop was held (by other work, not necessarily the store's), and a callback
   * queued meanwhile has not had its turn yet. Then the wait is extended, a bounded number of times.
   */
  #armTimeout(waitMs: number, extensions: number): void {
    const due = performance.now() + waitMs
    this.#timer = setTimeout(() => {
      const lateMs = performance.now() - due
      if (extensions > 0 && lateMs > Math.max(LATE_TIMER_MS, waitMs / 4))
        return this.#armTimeout(waitMs, extensions - 1)
      // Timers run first in a turn of the event loop: an answer already queued (an immediate, a
      // socket read) when a descheduled process wakes gets the rest of the turn before the verdict.
      setImmediate(() => this.#settle({ kind: 'timeout', timeoutMs: this.settings.timeoutMs, calls: this.#countCalls }))
    }, waitMs)
  }

  readonly #callback = (...args: unknown[]): void => {
    this.#calls += 1
    this.#lastArgs = args
    if (this.#inFlight) callAnswered(this.#inFlight, args[0])
    if (this.#calls === 1) {
      this.#settle({
        kind: 'callback',
        error: args[0],
        value: args[1],
        args,
        synchronous: !this.#returned,
        durationMs: performance.now() - this.#started,
        calls: this.#countCalls,
        lastArgs: () => this.#lastArgs,
      })
    } else {
      const afterThrow = this.#callbackError !== noError
      this.settings.onViolation({ kind: 'double-callback', method: this.method, calls: this.#calls, afterThrow })
    }
    if (!this.settings.onCallback) return
    try {
      this.settings.onCallback(args)
    } catch (error) {
      this.#callbackError = error
      throw error
    }
  }

  /** A promise-returning store: without a callback its settling is the outcome; a rejection is a violation. */
  #watch(result: PromiseLike<unknown>): void {
    result.then(
      () => {
        if (this.settings.omitCallback) this.#settleReturned()
      },
      (error: unknown) => {
        if (error === this.#callbackError) return
        if (this.settings.omitCallback) this.#settleReturned()
        this.settings.onViolation({ kind: 'rejected', method: this.method, error })
      },
    )
  }

  readonly #countCalls = () => this.#calls

  /** Reports a synchronous part long enough to have stalled every other request. */
  #noteBlock(): void {
    const endedAt = performance.now()
    const durationMs = endedAt - this.#started
    if (durationMs >= LOOP_BLOCK_MS && !this.settings.expectBlocking)
      this.settings.onViolation({ kind: 'blocked', method: this.method, durationMs, endedAt })
  }

  #settleReturned(): void {
    this.#settle({ kind: 'returned', durationMs: performance.now() - this.#started, calls: this.#countCalls })
  }

  #settle(outcome: CallOutcome): void {
    if (this.#settled) return
    this.#settled = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#done?.()
    this.resolve(outcome)
  }
}

const noError = Symbol('no error')

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
