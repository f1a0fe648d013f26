import { EventEmitter } from 'node:events'
import session from 'express-session'
import { type Callback, ReferenceStore } from '../correct/reference-store.js'
import { brokenStore } from './broken-store.js'

/** Copies the reference store's methods onto another base, to break only the shape. */
function withReferenceMethods<T extends object>(target: T): T {
  const reference = new ReferenceStore()
  for (const name of ['get', 'set', 'destroy', 'touch', 'length', 'all', 'clear'] as const) {
    Object.assign(target, { [name]: (reference[name] as (...args: unknown[]) => unknown).bind(reference) })
  }
  return target
}

/** Required app-level checks a store fails when express-session cannot use it at all. */
const EVERY_REQUEST_FAILS = [
  'express.expired-gets-fresh-session',
  'races.touch-keeps-concurrent-write',
  'races.logout-not-undone-by-touch',
  'races.read-your-writes',
  'races.parallel-sessions-isolated',
]

export const shapeAndCoreBroken = [
  brokenStore({
    name: 'not-an-event-emitter',
    mayAlsoFail: EVERY_REQUEST_FAILS,
    defect: 'a plain object with the Store helpers but no EventEmitter (no on())',
    breaks: [
      'shape.event-emitter',
      'express.session-round-trip',
      'express.logout-destroys',
      'express.regenerate-replaces',
    ],
    create: () =>
      withReferenceMethods({
        createSession: session.Store.prototype.createSession,
        load: session.Store.prototype.load,
        regenerate: session.Store.prototype.regenerate,
      }),
  }),
  brokenStore({
    name: 'no-store-helpers',
    mayAlsoFail: EVERY_REQUEST_FAILS,
    defect: 'an EventEmitter that does not extend session.Store (no createSession/load/regenerate)',
    breaks: [
      'shape.session-helpers',
      'express.session-round-trip',
      'express.logout-destroys',
      'express.regenerate-replaces',
    ],
    create: () => withReferenceMethods(new EventEmitter()),
  }),
  brokenStore({
    name: 'no-destroy',
    defect: 'destroy() is missing',
    breaks: ['shape.required-methods'],
    create: () => {
      const store = new ReferenceStore()
      Object.defineProperty(store, 'destroy', { value: undefined })
      return store
    },
  }),
  brokenStore({
    name: 'miss-is-an-error',
    defect: 'get() of an id it never stored calls back with Error("session not found")',
    breaks: ['get.miss-returns-nothing'],
    create: () =>
      new (class extends ReferenceStore {
        readonly known = new Set<string>()
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          this.known.add(sid)
          super.set(sid, sess, callback)
        }
        override get(sid: string, callback: Callback) {
          if (!this.known.has(sid)) return void setImmediate(() => callback(new Error('session not found')))
          super.get(sid, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'miss-is-enoent',
    defect: 'get() of an unknown id calls back with an ENOENT error (session-file-store)',
    breaks: ['get.miss-returns-nothing'],
    status: 'warn',
    create: () =>
      new (class extends ReferenceStore {
        override get(sid: string, callback: Callback) {
          super.get(sid, (err, value) => {
            if (value == null)
              callback(Object.assign(new Error(`ENOENT: no such file ${sid}.json`), { code: 'ENOENT' }))
            else callback(err, value)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'expires-as-number',
    defect: 'stores cookie.expires as epoch milliseconds, which express-session does not revive',
    breaks: ['set.round-trip'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          return JSON.stringify(sess, (key, value: unknown) =>
            key === 'expires' && typeof value === 'string' ? new Date(value).getTime() : value,
          )
        }
      })(),
  }),
  brokenStore({
    name: 'set-merges',
    defect: 'set() merges into the stored session instead of replacing it',
    breaks: ['set.overwrites'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          const sid = (sess as { id?: string }).id
          const previous = sid ? this.entries.get(sid) : undefined
          return JSON.stringify(
            previous
              ? { ...(JSON.parse(previous.text) as object), ...(JSON.parse(JSON.stringify(sess)) as object) }
              : sess,
          )
        }
      })(),
  }),
  brokenStore({
    name: 'destroy-not-durable',
    defect: 'destroy() calls back before the session is removed (expressjs/session#866)',
    // Without a callback the removal is looked for only within the per-call timeout: the same defect.
    mayAlsoFail: ['destroy.without-callback', 'races.logout-not-undone-by-touch'],
    breaks: [
      'destroy.removes',
      'destroy.visible-on-callback',
      'express.logout-destroys',
      'express.regenerate-replaces',
    ],
    create: () =>
      new (class extends ReferenceStore {
        override destroy(sid: string, callback?: Callback) {
          setImmediate(() => callback?.(null))
          // Long after the callback: no stall of a busy machine lets a read land after it.
          setTimeout(() => this.entries.delete(sid), 2000).unref()
        }
      })(),
  }),
  brokenStore({
    name: 'destroy-unknown-errors',
    defect: 'destroy() of an id that does not exist calls back with an error',
    breaks: ['destroy.unknown-id'],
    create: () =>
      new (class extends ReferenceStore {
        override destroy(sid: string, callback?: Callback) {
          if (!this.entries.has(sid)) return void setImmediate(() => callback?.(new Error('no such session')))
          super.destroy(sid, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'destroy-needs-callback',
    defect:
      'destroy() always calls its callback, so destroy(sid) throws "callback is not a function" ' +
      '(expressjs/session#898)',
    breaks: ['destroy.without-callback'],
    create: () =>
      new (class extends ReferenceStore {
        override destroy(sid: string, callback?: Callback) {
          setImmediate(() => {
            this.entries.delete(sid)
            ;(callback as Callback)(null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'case-insensitive-ids',
    defect: 'keys sessions case-insensitively, as a *_ci SQL collation does',
    breaks: ['set.ids-case-sensitive'],
    create: () =>
      new (class extends ReferenceStore {
        protected override keyOf(sid: string): string {
          return sid.toLowerCase()
        }
      })(),
  }),
  brokenStore({
    name: 'destroy-by-prefix',
    defect: 'destroy(sid) removes every key that starts with sid, as a KEYS/SCAN pattern sess:<sid>* does',
    breaks: ['set.ids-independent'],
    create: () =>
      new (class extends ReferenceStore {
        override destroy(sid: string, callback?: Callback) {
          setImmediate(() => {
            for (const key of [...this.entries.keys()]) if (key.startsWith(sid)) this.entries.delete(key)
            callback?.(null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'sanitised-ids',
    defect: 'replaces characters outside [A-Za-z0-9-] in ids with "_", so different ids share an entry',
    breaks: ['set.any-sid-characters'],
    create: () =>
      new (class extends ReferenceStore {
        protected override keyOf(sid: string): string {
          return sid.replace(/[^A-Za-z0-9-]/g, '_')
        }
      })(),
  }),
]
