import type session from 'express-session'
import { type Callback, type Entry, ReferenceStore } from '../correct/reference-store.js'
import { brokenStore } from './broken-store.js'

/** How long after its callback a late write reaches the shared backend (a slow replica, a queued flush). */
const LATE_MS = 100

type Delayed = 'set' | 'delete'

/**
 * The backend as another connection sees it: writes of the delayed kind reach it LATE_MS after the
 * store called back, while the writing instance sees them at once (a write-behind cache).
 */
class WriteBehind extends Map<string, Entry> {
  readonly pending = new Map<string, Entry | null>()

  constructor(
    readonly backend: Map<string, Entry>,
    readonly delayed: Delayed,
    readonly delayMs = LATE_MS,
  ) {
    super()
  }

  override get(key: string): Entry | undefined {
    return this.pending.has(key) ? (this.pending.get(key) ?? undefined) : this.backend.get(key)
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined
  }

  override set(key: string, entry: Entry): this {
    if (this.delayed === 'set') this.later(key, entry)
    else this.now(key, entry)
    return this
  }

  override delete(key: string): boolean {
    const had = this.has(key)
    if (this.delayed === 'delete') this.later(key, null)
    else this.now(key, null)
    return had
  }

  override keys(): MapIterator<string> {
    const keys = new Set([...this.backend.keys(), ...this.pending.keys()])
    return [...keys].filter((key) => this.has(key))[Symbol.iterator]() as MapIterator<string>
  }

  override clear(): void {
    this.pending.clear()
    this.backend.clear()
  }

  /** Written through at once; a write still pending for the key is superseded. */
  private now(key: string, entry: Entry | null): void {
    this.pending.delete(key)
    if (entry) this.backend.set(key, entry)
    else this.backend.delete(key)
  }

  private later(key: string, entry: Entry | null): void {
    this.pending.set(key, entry)
    setTimeout(() => {
      if (this.pending.get(key) !== entry) return
      this.now(key, entry)
    }, this.delayMs)
  }
}

/** Instances that share one backend map, each with its own write-behind view of it. */
function writeBehindStores(delayed: Delayed, delayMs = LATE_MS): () => ReferenceStore {
  const backend = new Map<string, Entry>()
  return () => new ReferenceStore(new WriteBehind(backend, delayed, delayMs))
}

/** Instances that share one backend map directly, like connections to one server. */
export function sharedStores<T extends ReferenceStore>(make: (entries: Map<string, Entry>) => T): () => T {
  const backend = new Map<string, Entry>()
  return () => make(backend)
}

export const visibilityAndContainmentBroken = [
  brokenStore({
    name: 'set-visible-late',
    mayAlsoFail: ['races.read-your-writes'],
    defect: 'set() calls back before its write reaches the backend (a write-behind cache)',
    breaks: ['set.visible-on-callback'],
    create: writeBehindStores('set'),
  }),
  brokenStore({
    name: 'set-visible-400-ms-late',
    mayAlsoFail: ['races.read-your-writes'],
    defect: 'writes reach the backend 400 ms after set() called back: longer than a quick look for sharing waits',
    breaks: ['set.visible-on-callback'],
    create: writeBehindStores('set', 400),
  }),
  brokenStore({
    name: 'touch-noop-ttl-from-late-write',
    defect:
      'touch() does nothing, and set() turns the cookie into a relative TTL that the backend starts when it runs ' +
      'the write, 200 ms late: the session outlives its old expiry by that much without any touch',
    breaks: ['ttl.touch-extends', 'ttl.touch-honours-new-max-age', 'express.active-user-kept'],
    create: () =>
      new (class extends ReferenceStore {
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          const expiresAt = this.expiryOf(sess.cookie)
          const ttl = expiresAt === null ? null : expiresAt - Date.now()
          setTimeout(() => {
            this.entries.set(sid, { text: this.serialize(sess), expiresAt: ttl === null ? null : Date.now() + ttl })
            callback?.(null)
          }, 200)
        }
        override touch(_sid: string, _sess: session.SessionData, callback?: Callback) {
          setImmediate(() => callback?.(null))
        }
      })(),
  }),
  brokenStore({
    name: 'soft-delete-after-callback',
    defect: 'destroy() calls back and queues the delete after it: another connection still reads the session',
    breaks: ['destroy.visible-on-callback'],
    create: writeBehindStores('delete'),
  }),
  brokenStore({
    name: 'touch-calls-back-early',
    defect: 'touch() calls back first and writes the new expiry a moment later',
    breaks: ['touch.visible-on-callback'],
    // On a slow machine the late write lands after the next request's save or re-creation.
    mayAlsoFail: ['ttl.natural-expiry-safe', 'express.session-round-trip'],
    create: sharedStores(
      (entries) =>
        new (class extends ReferenceStore {
          override touch(sid: string, sess: session.SessionData, callback?: Callback) {
            setImmediate(() => callback?.(null))
            setTimeout(() => super.touch(sid, sess), LATE_MS)
          }
        })(entries),
    ),
  }),
  brokenStore({
    name: 'destroy-queue-needs-callback',
    defect:
      'destroy() queues the delete on an internal queue drained by its own timer (the async context is lost) ' +
      'and calls the callback from there: destroy(sid) throws "callback is not a function" outside any call',
    breaks: ['destroy.without-callback'],
    create: () =>
      new (class extends ReferenceStore {
        readonly queue: { sid: string; callback?: Callback }[] = []
        readonly drain = setInterval(() => {
          for (const job of this.queue.splice(0)) {
            this.entries.delete(job.sid)
            try {
              ;(job.callback as Callback)(null)
            } catch (error) {
              // Thrown on, still outside any call's context, without losing the rest of the batch.
              setImmediate(() => {
                throw error
              })
            }
          }
        }, 2).unref()
        override destroy(sid: string, callback?: Callback) {
          this.queue.push({ sid, callback })
        }
      })(),
  }),
  brokenStore({
    name: 'wedges-after-callback-throws',
    defect:
      'once a callback throws, the client retries the request (calling back again) and then stops answering ' +
      'anything (a memcached client, a SQLite binding)',
    breaks: ['callbacks.callback-throws'],
    create: () =>
      new (class extends ReferenceStore {
        wedged = false
        protected override defer(fn: () => void): void {
          if (this.wedged) return
          setImmediate(() => {
            try {
              fn()
            } catch {
              this.wedged = true
              fn()
            }
          })
        }
      })(),
  }),
  brokenStore({
    name: 'touch-stores-whole-session',
    defect: 'touch() replaces the stored cookie with the whole session it is given',
    breaks: ['touch.cookie-intact'],
    create: () =>
      new (class extends ReferenceStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          setImmediate(() => {
            const entry = this.live(sid)
            if (entry) {
              const stored = JSON.parse(entry.text) as Record<string, unknown>
              stored.cookie = JSON.parse(JSON.stringify(sess))
              entry.text = JSON.stringify(stored)
              entry.expiresAt = this.expiryOf(sess.cookie)
            }
            callback?.(null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'never-expires',
    defect: 'keeps every session until it is destroyed; cookie.expires is ignored',
    breaks: [
      'ttl.expires-on-time',
      'ttl.past-expiry-not-returned',
      'ttl.sub-second-expires',
      'express.expired-gets-fresh-session',
    ],
    create: () =>
      new (class extends ReferenceStore {
        protected override expiryOf(): number | null {
          return null
        }
      })(),
  }),
  brokenStore({
    name: 'set-rejects-expired',
    defect: 'set() of a session whose cookie already expired calls back with an error instead of dropping it',
    breaks: ['ttl.past-expiry-not-returned'],
    create: () =>
      new (class extends ReferenceStore {
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          const expiresAt = this.expiryOf(sess.cookie)
          if (expiresAt !== null && expiresAt <= Date.now())
            return void setImmediate(() => callback?.(new Error('EXPIRED: refusing a session that has expired')))
          super.set(sid, sess, callback)
        }
      })(),
  }),
]
