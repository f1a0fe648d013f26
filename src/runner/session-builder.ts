import type { CookieSpec, ExpressSessionModule, SessionInput, SessionStore } from '../types.js'

const HOUR_MS = 60 * 60 * 1000

/**
 * Builds a session the way express-session hands it to stores: a real `Session` with a real
 * `Cookie`, created through `store.createSession` (what the middleware calls on load). Stores
 * that lack createSession get express-session's own, so the other checks can still run.
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
  const req = { sessionID: sid, sessionStore: store }
  const createSession =
    typeof store.createSession === 'function' ? store.createSession : expressSession.Store.prototype.createSession
  return createSession.call(store, req as never, { ...structuredClone(data), cookie } as never) as unknown as SessionInput
}

/** What JSON.stringify makes of a value: the semantics MemoryStore (and most stores) give. */
export function jsonRoundTrip<T>(value: T): unknown {
  const text = JSON.stringify(value)
  return text === undefined ? undefined : JSON.parse(text)
}
