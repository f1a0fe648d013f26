import type { Request } from 'autocannon'

/** What one connection's requests do, in order, over and over. */
export interface HttpScenario {
  readonly name: string
  readonly describes: string
  /** Whether each connection is given a session of its own before the load (a signed-in user). */
  readonly signedIn: boolean
  readonly requests: readonly Request[]
}

/**
 * Remembers the session cookie a response set, for the requests after it on that connection.
 * autocannon hands over the header names as the server wrote them (`Set-Cookie`).
 */
const keepCookie: Request['onResponse'] = (_status, _body, context, headers) => {
  const entries = Object.entries((headers ?? {}) as Record<string, string | string[] | undefined>)
  const set = entries.find(([name]) => name.toLowerCase() === 'set-cookie')?.[1]
  if (!set) return
  const cookies = (Array.isArray(set) ? set : [set]).map((cookie) => cookie.split(';')[0])
  ;(context as { cookie?: string }).cookie = cookies.join('; ')
}

/** Sends the cookie the connection's last login set. */
const withCookie: Request['setupRequest'] = (request, context) => {
  const cookie = (context as { cookie?: string }).cookie
  return cookie ? { ...request, headers: { ...request.headers, cookie } } : request
}

const browse: Request = { method: 'GET', path: '/browse' }
const update: Request = { method: 'POST', path: '/update' }

/**
 * The scenarios: what a browsing user does (reads the session; express-session touches it),
 * what signing in and out does (a new session written, read, destroyed), and the request mixes
 * the store-call bench measures, as whole requests.
 */
export const HTTP_SCENARIOS: readonly HttpScenario[] = [
  {
    name: 'browse',
    describes: 'a signed-in user browsing: every request reads the session, which express-session then touches',
    signedIn: true,
    requests: [browse],
  },
  {
    name: 'login',
    describes: 'sign in (a new session written), one page, sign out (the session destroyed)',
    signedIn: false,
    requests: [
      { method: 'POST', path: '/login', onResponse: keepCookie },
      { ...browse, setupRequest: withCookie },
      { method: 'POST', path: '/logout', setupRequest: withCookie },
    ],
  },
  {
    name: 'read-heavy',
    describes: '9 pages that only read the session to 1 that changes it',
    signedIn: true,
    requests: [...Array.from({ length: 9 }, () => browse), update],
  },
  {
    name: 'write-heavy',
    describes: 'every other request changes the session',
    signedIn: true,
    requests: [browse, update],
  },
]
