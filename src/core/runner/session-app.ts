import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Express, NextFunction, Request, Response } from 'express'
import { CheckFailure, messageOf } from '../errors.js'
import type { ExpressSessionModule, SessionApp, SessionAppSettings, SessionClient, SessionStore } from '../types.js'
import { trackedStore } from './tracked-store.js'

const COOKIE_NAME = 'sc.sid'
/** Long enough that no check's session expires by the clock while it runs. */
const COOKIE_MAX_AGE_MS = 10 * 60 * 1000

export interface SessionAppOptions extends SessionAppSettings {
  readonly store: SessionStore
  readonly expressSession: ExpressSessionModule
  readonly genid: () => string
  /** Requests give up after this long, so a store that never calls back cannot hang a check. */
  readonly requestTimeoutMs?: number
  /** Runs the rest of a request's handling in the scope of the check that sent it. */
  readonly enterScope?: (checkId: string, next: () => void) => void
  /** The store calls a check's requests are still waiting on, to name them when a request times out. */
  readonly waitingOn?: (checkId: string) => readonly string[]
}

/**
 * Express, required when the first express check asks (usually while the TTL checks wait), off
 * the start-up path. A plain require, not import(): express is CommonJS, and a TypeScript
 * loader's interop wrapper around an import of it (jiti's was seen) breaks its request getters.
 */
function loadExpress(): typeof import('express') {
  return createRequire(import.meta.url)('express')
}

const CHECK_HEADER = 'x-store-conformance-check'

/**
 * A real Express app using real express-session over the store under test, on a loopback port.
 * Routes mirror what applications do: write data, read it (touch), raise the cookie lifetime
 * ("remember me", a cookie-only change), log out (destroy) and log in (regenerate).
 */
export async function createSessionApp(options: SessionAppOptions): Promise<SessionApp> {
  const lateErrors = new Map<string, string[]>()
  const express = loadExpress()
  const app = express()
  app.use((req, _res, next) => {
    const checkId = req.get(CHECK_HEADER)
    if (checkId && options.enterScope) options.enterScope(checkId, next)
    else next()
  })
  app.use(express.json())
  app.use(
    options.expressSession({
      // Typed as express-session's own Store class; the middleware only calls the methods, as here.
      store: trackedStore(options.store) as never,
      secret: randomBytes(16).toString('hex'),
      name: COOKIE_NAME,
      resave: false,
      saveUninitialized: false,
      rolling: options.rolling ?? false,
      genid: options.genid,
      cookie: { maxAge: options.maxAgeMs ?? COOKIE_MAX_AGE_MS },
    }),
  )

  app.get('/session', (req, res) => {
    res.json({ sid: req.sessionID, data: sessionData(req) })
  })
  app.post('/session', (req, res) => {
    Object.assign(req.session, req.body)
    res.json({ sid: req.sessionID })
  })
  app.post('/remember', (req, res) => {
    req.session.cookie.maxAge = Number(req.body.maxAge)
    res.json({ sid: req.sessionID, maxAge: req.session.cookie.originalMaxAge })
  })
  app.post('/logout', (req, res, next) => {
    req.session.destroy((err: unknown) => (err ? next(err) : res.json({ ok: true })))
  })
  app.post('/login', (req, res, next) => {
    req.session.regenerate((err: unknown) => {
      if (err) return next(err)
      Object.assign(req.session, req.body)
      res.json({ sid: req.sessionID })
    })
  })
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const message = messageOf(err)
    if (!res.headersSent) return void res.status(500).json({ error: message })
    const checkId = req.get(CHECK_HEADER) ?? ''
    lateErrors.set(checkId, [...(lateErrors.get(checkId) ?? []), message])
  })

  const server = await listen(app)
  const { port } = server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000

  return {
    baseUrl,
    lateErrors: (checkId = '') => lateErrors.get(checkId) ?? [],
    client: (checkId) => createClient(baseUrl, requestTimeoutMs, checkId, options.waitingOn),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function sessionData(req: Request): Record<string, unknown> {
  const { cookie: _cookie, ...data } = req.session as unknown as Record<string, unknown>
  return data
}

function listen(app: Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)))
  })
}

function createClient(
  baseUrl: string,
  timeoutMs: number,
  checkId: string | undefined,
  waitingOn: SessionAppOptions['waitingOn'],
): SessionClient {
  let cookie: string | undefined
  const send: SessionClient['request'] = async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(checkId ? { [CHECK_HEADER]: checkId } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    for (const line of response.headers.getSetCookie()) {
      if (line.startsWith(`${COOKIE_NAME}=`)) cookie = line.split(';')[0]
    }
    const text = await response.text()
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
  }
  return {
    get sid() {
      return cookie ? sidFromCookie(cookie) : undefined
    },
    // A request that got no response names the store calls express-session still waits on.
    request: (method, path, body) =>
      send(method, path, body).catch((error: unknown) => {
        if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error
        const pending = checkId ? (waitingOn?.(checkId) ?? []) : []
        const waiting = pending.length > 0 ? `; store calls still waiting for a callback: ${pending.join(', ')}` : ''
        throw new CheckFailure(`${method} ${path} got no response${waiting}`, {
          expected: 'a response',
          actual: `no response${waiting}`,
          impact: 'express-session holds the response until the store calls back: the request hangs.',
        })
      }),
  }
}

/** `sc.sid=s%3A<sid>.<signature>` → `<sid>` */
function sidFromCookie(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
  return value.slice(2, value.lastIndexOf('.'))
}
