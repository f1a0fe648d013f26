import type session from 'express-session'
import { type Callback, ReferenceStore } from '../correct/reference-store.js'
import { brokenStore } from './broken-store.js'

export const expressBroken = [
  brokenStore({
    name: 'emits-disconnect',
    defect:
      'emits "disconnect" (on its first get() once express-session listens) and never "connect", freezing the ' +
      "middleware's readiness (connect-redis#194)",
    breaks: ['express.session-round-trip'],
    // Every request after the event has no req.session, whichever check sent it.
    mayAlsoFail: [
      'express.logout-destroys',
      'express.regenerate-replaces',
      'express.expired-gets-fresh-session',
      'races.touch-keeps-concurrent-write',
      'races.logout-not-undone-by-touch',
      'races.read-your-writes',
      'races.parallel-sessions-isolated',
    ],
    create: () =>
      new (class extends ReferenceStore {
        // Each middleware listening (the run has more than one app) hears it once.
        readonly #told = new WeakSet<object>()
        override get(sid: string, callback: Callback) {
          for (const listener of this.listeners('disconnect')) {
            if (this.#told.has(listener)) continue
            this.#told.add(listener)
            listener.call(this)
          }
          super.get(sid, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'regenerate-keeps-old',
    defect: 'overrides regenerate() to issue a new session without destroying the old one',
    breaks: ['express.regenerate-replaces'],
    create: () =>
      new (class extends ReferenceStore {
        override regenerate(req: Parameters<session.Store['regenerate']>[0], callback: (err?: unknown) => void) {
          ;(this as unknown as { generate(r: unknown): void }).generate(req)
          callback()
        }
      })(),
  }),
  brokenStore({
    name: 'get-creates-entry',
    defect:
      'get() of an id it does not have inserts a placeholder session (a find-or-create meant to reserve the id) ' +
      'and answers with nothing: every visit with a stale cookie leaves a session behind',
    breaks: ['express.uninitialized-not-stored'],
    // The placeholder is a session again on the next read: a logged-out id loads.
    mayAlsoFail: ['express.logout-destroys'],
    create: () =>
      new (class extends ReferenceStore {
        override get(sid: string, callback: Callback) {
          super.get(sid, (err, sess) => {
            if (sess || err) return callback(err, sess)
            const expires = new Date(Date.now() + 24 * 60 * 60 * 1000)
            this.entries.set(sid, {
              text: JSON.stringify({ cookie: { originalMaxAge: 24 * 60 * 60 * 1000, expires } }),
              expiresAt: expires.getTime(),
            })
            callback(null, null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'touch-updates-cookie-not-expiry',
    defect:
      "touch() rewrites the stored cookie but not the backend's expiry (a JSON column updated, the expires column " +
      'not): neither activity nor "remember me" moves the expiry set at the last save',
    breaks: [
      'express.touch-moves-expiry',
      'express.remember-me-survives',
      'ttl.touch-extends',
      'ttl.touch-honours-new-max-age',
    ],
    create: () =>
      new (class extends ReferenceStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          setImmediate(() => {
            const entry = this.live(sid)
            if (entry) entry.text = JSON.stringify({ ...(JSON.parse(entry.text) as object), cookie: sess.cookie })
            callback?.(null)
          })
        }
      })(),
  }),
]
