import { performance } from 'node:perf_hooks'
import type { CallOptions, CallOutcome, SessionStore, StoreMethod } from '../types.js'

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
  const { timeoutMs, onViolation, omitCallback, onCallback } = settings
  const started = performance.now()
  let calls = 0
  let lastArgs: readonly unknown[] = []
  let returned = false
  // An error the callback itself threw (the callback-throws check) is the caller's, not the store's.
  let callbackError: unknown = noError
  const countCalls = () => calls

  return new Promise<CallOutcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined
    let settled = false
    const settle = (outcome: CallOutcome) => {
      if (settled) return
      settled = true
      if (timer) clearTimeout(timer)
      resolve(outcome)
    }

    const callback = (...cbArgs: unknown[]) => {
      calls += 1
      lastArgs = cbArgs
      if (calls === 1) {
        settle({
          kind: 'callback',
          error: cbArgs[0],
          value: cbArgs[1],
          args: cbArgs,
          synchronous: !returned,
          durationMs: performance.now() - started,
          calls: countCalls,
          lastArgs: () => lastArgs,
        })
      } else {
        onViolation({ kind: 'double-callback', method, calls, afterThrow: callbackError !== noError })
      }
      if (onCallback) {
        try {
          onCallback(cbArgs)
        } catch (error) {
          callbackError = error
          throw error
        }
      }
    }

    const fn = store[method]
    let result: unknown
    try {
      result = (fn as (...a: unknown[]) => unknown).apply(store, omitCallback ? [...args] : [...args, callback])
    } catch (error) {
      returned = true
      if (calls === 0) settle({ kind: 'threw', error })
      else if (error !== callbackError) onViolation({ kind: 'threw-after-callback', method, error })
      return
    }
    returned = true

    if (isThenable(result)) {
      result.then(
        () => {
          if (omitCallback) settle({ kind: 'returned', durationMs: performance.now() - started, calls: countCalls })
        },
        (error: unknown) => {
          if (error === callbackError) return
          if (omitCallback && !settled)
            settle({ kind: 'returned', durationMs: performance.now() - started, calls: countCalls })
          onViolation({ kind: 'rejected', method, error })
        },
      )
    } else if (omitCallback) {
      settle({ kind: 'returned', durationMs: performance.now() - started, calls: countCalls })
    }

    if (!settled) {
      timer = setTimeout(() => settle({ kind: 'timeout', timeoutMs, calls: countCalls }), timeoutMs)
    }
  })
}

const noError = Symbol('no error')

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
