import { randomBytes } from 'node:crypto'
import cookieSession from 'cookie-session'
import express, { type RequestHandler } from 'express'
import type { ExpressSessionModule, SessionStore } from '../../core/types.js'
import { sessionData } from '../payloads.js'

/** Every request's response: small, so the request measures the session, not the body. */
const OK = { ok: true }

/** How long sessions live in every setup: longer than any bench. */
const MAX_AGE_MS = 3_600_000

/** What the app needs to know of its session middleware to sign in and out with it. */
export type AppSession =
  | { readonly kind: 'no-session' }
  | { readonly kind: 'cookie-session' }
  | { readonly kind: 'store'; readonly session: ExpressSessionModule; readonly store: SessionStore }

/**
 * The same Express app in front of every setup, so the difference between two setups is the
 * session and nothing else: `/seed` signs a user in, `/browse` reads the session, `/update`
 * changes it, `/login` replaces it with a new one (regenerate, as a login should) and `/logout`
 * destroys it. Without a session the handlers answer the same, and do no session work.
 */
export function benchApp(setup: AppSession, payloadBytes: number) {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  const secret = randomBytes(16).toString('hex')
  const payload = sessionData(payloadBytes)
  const middleware = sessionMiddleware(setup, secret)
  if (middleware) app.use(middleware)
  const session = (request: express.Request) =>
    (request as unknown as { session?: Record<string, unknown> | null }).session

  app.post('/seed', (request, response) => {
    const current = session(request)
    if (current) Object.assign(current, payload)
    response.json(OK)
  })
  app.get('/browse', (request, response) => {
    response.json({ ok: true, user: (session(request)?.user as { name?: string } | undefined)?.name ?? null })
  })
  app.post('/update', (request, response) => {
    const current = session(request)
    if (current) current.visits = ((current.visits as number | undefined) ?? 0) + 1
    response.json(OK)
  })
  app.post('/login', (request, response, next) => {
    if (setup.kind === 'store') {
      request.session.regenerate((error) => {
        if (error) return next(error)
        Object.assign(request.session, payload)
        response.json(OK)
      })
      return
    }
    if (setup.kind === 'cookie-session') (request as { session?: unknown }).session = { ...payload }
    response.json(OK)
  })
  app.post('/logout', (request, response, next) => {
    if (setup.kind === 'store') {
      request.session.destroy((error) => (error ? next(error) : response.json(OK)))
      return
    }
    if (setup.kind === 'cookie-session') (request as { session?: unknown }).session = null
    response.json(OK)
  })
  return app
}

/** The session middleware of a setup, configured as the express-session docs advise for a login. */
function sessionMiddleware(setup: AppSession, secret: string): RequestHandler | undefined {
  switch (setup.kind) {
    case 'no-session':
      return undefined
    case 'cookie-session':
      return cookieSession({ name: 'session', secret, maxAge: MAX_AGE_MS, httpOnly: true }) as RequestHandler
    case 'store':
      return setup.session({
        secret,
        store: setup.store as never,
        resave: false,
        saveUninitialized: false,
        cookie: { maxAge: MAX_AGE_MS, httpOnly: true },
      }) as RequestHandler
  }
}
