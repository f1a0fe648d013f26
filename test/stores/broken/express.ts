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
    mayAlsoFail: ['express.logout-destroys', 'express.regenerate-replaces'],
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
]
