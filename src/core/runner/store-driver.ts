import { CheckFailure, describeValue } from '../errors.js'
import { isMissError } from '../miss.js'
import type { CallOptions, CallOutcome, SessionStore, StoreDriver, StoreMethod } from '../types.js'
import { type CallViolation, callStore } from './call-store.js'

const HANG_IMPACT =
  'express-session holds the response until the store calls back, so the request hangs (expressjs/session#572).'
const THROW_IMPACT = 'A synchronous throw escapes into express-session and fails the request with a 500 or crashes it.'

/** What each method's error costs, as the middleware handles it (index.js). */
const ERROR_IMPACT: Record<StoreMethod, string> = {
  get: 'express-session passes a get() error to next(err): every request with this cookie fails.',
  set:
    'express-session reports a set() error after the response started: the session is lost and Express logs ' +
    'ERR_HTTP_HEADERS_SENT.',
  destroy: 'req.session.destroy() and regenerate() report the error, and logout may leave the session alive.',
  touch: 'express-session passes a touch() error to next(err) after the response: Express logs ERR_HTTP_HEADERS_SENT.',
  length: 'Callers of store.length() get an error instead of a count.',
  all: 'Callers of store.all() get an error instead of the sessions.',
  clear: 'Callers of store.clear() get an error and the store may not be empty.',
}

/**
 * The value a call produced, or a CheckFailure saying what went wrong instead (a synchronous
 * throw, no callback in time, an error). An ENOENT error from get() counts as a miss, as
 * express-session treats it.
 */
export function outcomeValue(
  method: StoreMethod,
  args: readonly unknown[],
  outcome: CallOutcome,
  timeoutMs: number,
): unknown {
  const signature = `${method}(${args.length > 0 ? describeValue(args[0], 60) : ''})`
  switch (outcome.kind) {
    case 'threw':
      throw new CheckFailure(`${method}() threw synchronously: ${describeValue(outcome.error)}`, {
        expected: `${method}() reports failures through its callback`,
        actual: `threw ${describeValue(outcome.error)}`,
        impact: THROW_IMPACT,
      })
    case 'timeout':
    case 'returned':
      throw new CheckFailure(`${signature} did not call back within ${timeoutMs} ms`, {
        expected: `the callback within ${timeoutMs} ms`,
        actual: 'no callback',
        impact: HANG_IMPACT,
      })
    case 'callback':
      if (outcome.error != null) {
        if (method === 'get' && isMissError(outcome.error)) return undefined
        throw new CheckFailure(`${signature} called back with an error: ${describeValue(outcome.error)}`, {
          expected: 'no error',
          actual: describeValue(outcome.error),
          impact: ERROR_IMPACT[method],
        })
      }
      return outcome.value
  }
}

/**
 * The store wrapped for checks: each method resolves with the store's answer or throws a
 * CheckFailure that says what went wrong (error, synchronous throw, timeout).
 */
export function createStoreDriver(
  store: SessionStore,
  timeoutMs: number,
  onViolation: (violation: CallViolation) => void,
  signal?: AbortSignal,
): StoreDriver {
  const call = (method: StoreMethod, args: unknown[], options: CallOptions = {}): Promise<CallOutcome> => {
    // An aborted check makes no further calls (see RunState.execute).
    if (signal?.aborted) return Promise.reject(signal.reason)
    return callStore(store, method, args, { ...options, timeoutMs, onViolation })
  }

  const answer = async (method: StoreMethod, args: unknown[]): Promise<unknown> =>
    outcomeValue(method, args, await call(method, args), timeoutMs)

  return {
    call,
    get: (sid) => answer('get', [sid]),
    set: async (sid, session) => void (await answer('set', [sid, session])),
    destroy: async (sid) => void (await answer('destroy', [sid])),
    touch: async (sid, session) => void (await answer('touch', [sid, session])),
    all: () => answer('all', []),
    clear: async () => void (await answer('clear', [])),
    length: async () => {
      const value = await answer('length', [])
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new CheckFailure(`length() called back with ${describeValue(value)}, not a count`, {
          expected: 'a non-negative integer',
          actual: describeValue(value),
        })
      }
      return value
    },
  }
}
