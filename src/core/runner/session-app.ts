import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Express, NextFunction, Request, Response } from 'express'
import { CheckFailure, messageOf } from '../errors.js'
import type { ExpressSessionModule, SessionApp, SessionAppSettings, SessionClient, SessionStore } from '../types.js'
import { appFacingStore, type ClientCalls, requestCalls } from './app-store.js'

const COOKIE_NAME = 'sc.sid'
/** Long enough that no check's session expires by the clock while it runs. */
const COOKIE_MAX_AGE_MS = 10 * 60 * 1000

export interface SessionAppOptions extends SessionAppSettings {
  readonly store: SessionStore
  readonly expressSession: ExpressSessionModule
  readonly genid: () => string
  /** Signs the cookie; apps of one run share it, as app servers behind one load balancer do. */
  readonly secret?: string
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
const CLIENT_HEADER = 'x-store-conformance-client'

/**
 * A real Express app using real express-session over the store under test, on a loopback port.
 * Routes mirror what applications do: write data, read it (touch), raise the cookie lifetime
 * ("remember me", a cookie-only change), log out (destroy) and log in (regenerate).
 */
export async function createSessionApp(options: SessionAppOptions): Promise<SessionApp> {
  const lateErrors = new Map<string, string[]>()
  /** Each client's gates and the store calls its requests made, by the id its requests carry. */
  const clients = new Map<string, ClientCalls>()
  const express = loadExpress()
  const app = express()
  app.use((req, _res, next) => {
    const checkId = req.get(CHECK_HEADER)
    const calls = clients.get(req.get(CLIENT_HEADER) ?? '')
    const inScope = () => (checkId && options.enterScope ? options.enterScope(checkId, next) : next())
    if (calls) requestCalls.run(calls, inScope)
    else inScope()
  })
  app.use(express.json())
  app.use(
    options.expressSession({
      // Typed as express-session's own Store class; the middleware only calls the methods, as here.
      store: ownGenerate(appFacingStore(options.store)) as never,
      secret: options.secret ?? randomBytes(16).toString('hex'),
      name: COOKIE_NAME,
      resave: false,
      saveUninitialized: options.saveUninitialized ?? false,
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
  // What the request loaded: the stored cookie as express-session revived it, before this request's own touch.
  app.get('/cookie', (req, res) => {
    const { originalMaxAge, expires } = req.session.cookie
    res.json({ sid: req.sessionID, originalMaxAge, expires: expires instanceof Date ? expires.getTime() : expires })
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
    client: (checkId) => {
      const calls: ClientCalls = { gates: [], calls: [] }
      const id = String(clients.size + 1)
      clients.set(id, calls)
      return createClient({ baseUrl, timeoutMs: requestTimeoutMs, checkId, clientId: id, calls }, options.waitingOn)
    },
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

/** Where a client sends its requests, and the app's record of its store calls. */
interface ClientSetup {
  readonly baseUrl: string
  readonly timeoutMs: number
  readonly checkId: string | undefined
  readonly clientId: string
  readonly calls: ClientCalls
}

/** Each client's cookie, for withCookieOf (a second tab sends the first one's cookie). */
const cookies = new WeakMap<SessionClient, () => string | undefined>()

function createClient(setup: ClientSetup, waitingOn: SessionAppOptions['waitingOn']): SessionClient {
  const { baseUrl, timeoutMs, checkId } = setup
  let cookie: string | undefined
  const send: SessionClient['request'] = async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        [CLIENT_HEADER]: setup.clientId,
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
  const client: SessionClient = {
    get sid() {
      return cookie ? sidFromCookie(cookie) : undefined
    },
    get calls() {
      return [...setup.calls.calls]
    },
    withCookieOf(other) {
      cookie = cookies.get(other)?.()
    },
    gate(method, at) {
      let open = () => {}
      let reached = () => {}
      const gate = {
        method,
        at,
        reached: new Promise<void>((resolve) => {
          reached = resolve
        }),
        opened: new Promise<void>((resolve) => {
          open = resolve
        }),
        spent: false,
        hold: () => reached(),
      }
      setup.calls.gates.push(gate)
      return { method, at, reached: gate.reached, open }
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
  cookies.set(client, () => cookie)
  return client
}

/**
 * express-session writes its session factory (`generate`: the cookie options, genid) onto the
 * store it is given: apps sharing one store would each overwrite the last one's, and every app's
 * new sessions would get the cookie of the app made last. Each app keeps its own here.
 */
function ownGenerate(store: SessionStore): SessionStore {
  let generate: unknown
  return new Proxy(store, {
    get: (target, property, receiver) => (property === 'generate' ? generate : Reflect.get(target, property, receiver)),
    set: (target, property, value) => {
      if (property !== 'generate') return Reflect.set(target, property, value)
      generate = value
      return true
    },
  })
}

/** `sc.sid=s%3A<sid>.<signature>` → `<sid>` */
function sidFromCookie(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
  return value.slice(2, value.lastIndexOf('.'))
}
