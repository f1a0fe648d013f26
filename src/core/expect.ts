import { isDeepStrictEqual } from 'node:util'
import { CheckFailure, describeValue } from './errors.js'
import { jsonRoundTrip, reviveSession } from './sessions.js'
import type { CheckContext, SessionInput } from './types.js'

/** The assertions checks are written with: each failure says what was expected and what happened. */

/** Fails the check with what was expected, what happened and (optionally) what it costs. */
export function fail(message: string, details: { expected?: string; actual?: string; impact?: string } = {}): never {
  throw new CheckFailure(message, details)
}

/** The stored session must be gone: get() answers null/undefined. */
export function expectMissing(value: unknown, message: string): void {
  if (value != null) fail(message, { expected: 'no session', actual: describeValue(value) })
}

/** The stored session must be there, as an object. */
export function expectSession(value: unknown, message: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object')
    fail(message, { expected: 'the stored session', actual: describeValue(value) })
  return value as Record<string, unknown>
}

/** Deep equality with the first differing path named in the failure. */
export function expectEqual(actual: unknown, expected: unknown, message: string): void {
  if (isDeepStrictEqual(actual, expected)) return
  const where = firstDifference(expected, actual, '')
  fail(`${message}${where ? ` (at ${where.path || 'the top level'})` : ''}`, {
    expected: describeValue(where ? where.expected : expected),
    actual: describeValue(where ? where.actual : actual),
  })
}

/** The session's data without its cookie: what the application put in. */
export function dataOf(session: unknown): Record<string, unknown> {
  const { cookie: _cookie, ...data } = (session ?? {}) as Record<string, unknown>
  return data
}

/**
 * The stored data must equal `expected` on the keys `expected` has, and must not hold any of
 * `forbid` (keys the check wrote earlier, or that JSON drops). Other extra keys are a store's
 * bookkeeping: serialization.no-bookkeeping-leak judges them, so no other check fails for them.
 */
export function expectData(
  stored: Record<string, unknown>,
  expected: unknown,
  message: string,
  options: { forbid?: readonly string[]; normalize?: boolean } = {},
): void {
  const data = dataOf(stored)
  const keys = new Set([...Object.keys(expected as object), ...(options.forbid ?? [])])
  const relevant = Object.fromEntries(Object.entries(data).filter(([key]) => keys.has(key)))
  expectEqual(options.normalize ? jsonRoundTrip(relevant) : relevant, expected, message)
}

/** What a store following MemoryStore's JSON semantics must give back for `session`. */
export function expectedData(session: SessionInput): unknown {
  return jsonRoundTrip(dataOf(session))
}

/**
 * Revives a stored session the way express-session does on load (store.createSession on what
 * get() returned) and hands back its cookie, or fails with what the middleware would hit.
 */
export function reviveCookie(ctx: CheckContext, sid: string, stored: Record<string, unknown>): SessionInput['cookie'] {
  const cookie = stored.cookie
  if (cookie === null || typeof cookie !== 'object') {
    fail('the stored session has no cookie object', {
      expected: 'a cookie express-session can revive',
      actual: describeValue(cookie),
      impact:
        'express-session fails every request for this session with a 500 ("Cannot read properties of undefined").',
    })
  }
  return reviveSession(ctx.raw, ctx.expressSession, sid, structuredClone(stored)).cookie
}

/** The expiry time of a revived cookie, or a failure saying it cannot be read as a date. */
export function expiresTime(cookie: SessionInput['cookie'], what: string): number | null {
  const expires = cookie.expires
  if (expires === null || expires === undefined) return null
  if (!(expires instanceof Date) || Number.isNaN(expires.getTime())) {
    fail(`${what}: cookie.expires does not revive to a Date`, {
      expected: 'an ISO date string (or a Date), as Cookie#toJSON writes it',
      actual: describeValue(expires),
      impact:
        'express-session revives only string expiry dates: req.session.cookie.expires and .maxAge are wrong in ' +
        'application code.',
    })
  }
  return expires.getTime()
}

function firstDifference(
  expected: unknown,
  actual: unknown,
  path: string,
): { path: string; expected: unknown; actual: unknown } | undefined {
  if (isDeepStrictEqual(expected, actual)) return undefined
  if (
    expected &&
    actual &&
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    Array.isArray(expected) === Array.isArray(actual)
  ) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
    for (const key of keys) {
      const next = Array.isArray(expected) ? `${path}[${key}]` : `${path}.${key}`
      const inner = firstDifference(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        next,
      )
      if (inner) return inner
    }
  }
  return { path, expected, actual }
}
