import type session from 'express-session'
import { type Callback, ReferenceStore } from '../correct/reference-store.js'
import { brokenStore } from './broken-store.js'

export const callbacksAndIsolationBroken = [
  brokenStore({
    name: 'destroy-calls-back-twice',
    defect: 'destroy() calls its callback twice',
    breaks: ['callbacks.exactly-once'],
    // Over HTTP the second callback makes the logout route respond twice: ERR_HTTP_HEADERS_SENT.
    mayAlsoFail: ['express.logout-destroys', 'express.regenerate-replaces', 'races.logout-not-undone-by-touch'],
    create: () =>
      new (class extends ReferenceStore {
        override destroy(sid: string, callback?: Callback) {
          super.destroy(sid, (err) => {
            callback?.(err)
            setImmediate(() => callback?.(null))
          })
        }
      })(),
  }),
  brokenStore({
    name: 'retries-callback-on-throw',
    defect:
      'set() calls back inside try/catch and calls again with the error when the callback throws (connect-redis ' +
      '9, express-mysql-session)',
    breaks: ['callbacks.callback-throws'],
    create: () =>
      new (class extends ReferenceStore {
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          super.set(sid, sess, () => {
            try {
              callback?.(null)
            } catch (error) {
              callback?.(error)
            }
          })
        }
      })(),
  }),
  brokenStore({
    name: 'all-throws-not-implemented',
    defect: 'all() is a stub that throws "not implemented" synchronously',
    breaks: ['callbacks.no-sync-throw'],
    create: () =>
      new (class extends ReferenceStore {
        override all(): void {
          throw new Error('not implemented')
        }
      })(),
  }),
  brokenStore({
    name: 'length-never-calls-back',
    defect: 'length() forgets to call its callback',
    breaks: ['callbacks.timely'],
    create: () =>
      new (class extends ReferenceStore {
        override length(): void {}
      })(),
  }),
  brokenStore({
    name: 'keeps-set-reference',
    defect: 'set() keeps a reference to the object it was given and serialises it on every get()',
    breaks: ['isolation.set-input-mutation'],
    create: () =>
      new (class extends ReferenceStore {
        readonly held = new Map<string, unknown>()
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          this.held.set(sid, sess)
          super.set(sid, sess, callback)
        }
        override get(sid: string, callback: Callback) {
          super.get(sid, (err, value) => {
            const held = this.held.get(sid)
            callback(err, value != null && held ? JSON.parse(JSON.stringify(held)) : value)
          })
        }
        override destroy(sid: string, callback?: Callback) {
          this.held.delete(sid)
          super.destroy(sid, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'returns-cached-object',
    defect: 'get() returns the same cached object every time instead of a copy',
    breaks: ['isolation.get-result-mutation'],
    create: () =>
      new (class extends ReferenceStore {
        readonly cache = new Map<string, unknown>()
        override get(sid: string, callback: Callback) {
          super.get(sid, (err, value) => {
            if (value == null) return callback(err, value)
            const text = JSON.stringify(value)
            const cached = this.cache.get(text) ?? value
            this.cache.set(text, cached)
            callback(err, cached)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'stamps-input',
    defect: 'set() stamps __lastAccess on the session it is given (session-file-store), though not in what it stores',
    breaks: ['isolation.input-not-mutated'],
    create: () =>
      new (class extends ReferenceStore {
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          super.set(sid, sess, callback)
          ;(sess as unknown as Record<string, unknown>).__lastAccess = Date.now()
        }
      })(),
  }),
]
