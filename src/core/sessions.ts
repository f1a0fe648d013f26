import type { CookieSpec, ExpressSessionModule, SessionInput, SessionStore } from './types.js'

const HOUR_MS = 60 * 60 * 1000

/** Cookie fields express-session itself writes (Cookie#toJSON, or the raw object for non-JSON serializers). */
export const COOKIE_KEYS: ReadonlySet<string> = new Set([
  'originalMaxAge',
  'partitioned',
  'priority',
  'expires',
  '_expires',
  'secure',
  'httpOnly',
  'domain',
  'path',
  'sameSite',
])

/**
 * A stored session brought back to life the way express-session does on load: through the
 * store's createSession (express-session's own for a store that lacks it), with a real Cookie.
 */
export function reviveSession(
  store: SessionStore,
  expressSession: ExpressSessionModule,
  sid: string,
  stored: object,
): SessionInput {
  const createSession =
    typeof store.createSession === 'function' ? store.createSession : expressSession.Store.prototype.createSession
  // createSession reads only these two fields of the request, and the stored data as it is.
  const req = { sessionID: sid, sessionStore: store }
  return createSession.call(store, req as never, stored as never) as unknown as SessionInput
}

/**
 * Builds a session the way express-session hands it to stores: a real `Session` with a real
 * `Cookie`, created through `store.createSession` (what the middleware calls on load).
 */
export function buildSession(
  store: SessionStore,
  expressSession: ExpressSessionModule,
  sid: string,
  data: Record<string, unknown> = {},
  spec: CookieSpec = {},
): SessionInput {
  const maxAge = spec.maxAge === undefined ? HOUR_MS : spec.maxAge
  const expires = spec.expires ?? (maxAge === null ? null : new Date(Date.now() + maxAge))
  // The stored form of a cookie, as Cookie#toJSON writes it; createSession revives `expires`.
  const cookie = { originalMaxAge: maxAge, expires: expires ? expires.toISOString() : null, httpOnly: true, path: '/' }
  return reviveSession(store, expressSession, sid, { ...structuredClone(data), cookie })
}

/** What JSON.stringify makes of a value: the semantics MemoryStore (and most stores) give. */
export function jsonRoundTrip<T>(value: T): unknown {
  const text = JSON.stringify(value)
  return text === undefined ? undefined : JSON.parse(text)
}

/** The expiry a stored session's cookie carries as written: `expires` (JSON) or `_expires` (a raw Cookie). */
export function storedExpiry(stored: Record<string, unknown>): unknown {
  const cookie = stored.cookie as { expires?: unknown; _expires?: unknown } | null | undefined
  if (cookie === null || typeof cookie !== 'object') return undefined
  return cookie.expires ?? cookie._expires
}
