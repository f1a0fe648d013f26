import type session from 'express-session'
import { type Callback, type Entry, ReferenceStore } from '../correct/reference-store.js'
import { brokenStore } from './broken-store.js'

type CookieLike = { expires?: Date | string | null; _expires?: Date | string | null; originalMaxAge?: number | null }

const THIRTY_DAYS_S = 30 * 24 * 60 * 60

/** A store that turns the cookie's remaining life into whole seconds, and `ttl` decides the expiry. */
function secondsTtlStore(expiryFromTtl: (ttlSeconds: number, expiresAt: number) => number | null) {
  return () =>
    new (class extends ReferenceStore {
      protected override expiryOf(cookie: CookieLike | undefined): number | null {
        const expiresAt = super.expiryOf(cookie)
        if (expiresAt === null || expiresAt <= Date.now()) return expiresAt
        return expiryFromTtl(Math.floor((expiresAt - Date.now()) / 1000), expiresAt)
      }
    })()
}

/** A store that silently keeps only the first `bytes` of what it stores (a TEXT column, non-strict SQL). */
function cappedStore(bytes: number, onOverflow: 'truncate' | 'reject') {
  return () =>
    new (class extends ReferenceStore {
      override set(sid: string, sess: session.SessionData, callback?: Callback) {
        const text = JSON.stringify(sess)
        if (text.length <= bytes) return super.set(sid, sess, callback)
        if (onOverflow === 'reject')
          return void setImmediate(() => callback?.(new Error('ER_DATA_TOO_LONG: Data too long for column')))
        setImmediate(() => {
          this.entries.set(sid, { text: text.slice(0, bytes), expiresAt: this.expiryOf(sess.cookie) })
          callback?.(null)
        })
      }
      protected override parse(text: string): unknown {
        try {
          return JSON.parse(text)
        } catch {
          // A cut JSON document does not parse: read as a miss, silently.
          return null
        }
      }
    })()
}

/** Expired entries stay in the map until a reaper would run; reads skip them. */
class LazyReapStore extends ReferenceStore {
  protected override live(sid: string): Entry | undefined {
    const entry = this.entries.get(sid)
    return entry && !this.isExpired(entry) ? entry : undefined
  }
}

export const lifetimesAndPayloadsBroken = [
  brokenStore({
    name: 'all-errors-when-empty',
    defect: 'all() does a multi-get of every key, which errors when there are no keys (MGET with no arguments)',
    breaks: ['all.empty-store', 'clear.empties-store'],
    create: () =>
      new (class extends ReferenceStore {
        override all(callback: Callback) {
          if (this.liveKeys().length === 0)
            return void setImmediate(() => callback(new Error("ERR wrong number of arguments for 'mget' command")))
          super.all(callback)
        }
      })(),
  }),
  brokenStore({
    name: 'length-null-when-empty',
    defect: 'length() calls back with null when there are no rows (SUM over nothing)',
    // clear.empties-store cannot run: whether the store is empty cannot be told from length().
    breaks: ['length.empty-store'],
    create: () =>
      new (class extends ReferenceStore {
        override length(callback: Callback) {
          setImmediate(() => callback(null, this.liveKeys().length || null))
        }
      })(),
  }),
  brokenStore({
    name: 'ttl-seconds-32-bit',
    defect: 'turns the TTL into seconds with `| 0`: past 2³¹ s it wraps negative and the session is gone at once',
    breaks: ['ttl.long-lifetimes'],
    create: secondsTtlStore((ttl, expiresAt) => ((ttl | 0) < 0 ? Date.now() + (ttl | 0) * 1000 : expiresAt)),
  }),
  brokenStore({
    name: 'ttl-over-30-days-is-a-date',
    defect: 'reads a TTL over 30 days as a Unix time, as memcached does: a long session expired in 1970',
    breaks: ['ttl.long-lifetimes'],
    create: secondsTtlStore((ttl, expiresAt) => (ttl > THIRTY_DAYS_S ? ttl * 1000 : expiresAt)),
  }),
  brokenStore({
    name: 'ttl-zero-is-forever',
    defect: 'a life under a second becomes a TTL of 0 seconds, which means "never expire"',
    breaks: ['ttl.sub-second-expires'],
    // The same defect reaches the short sessions other TTL checks use on a millisecond store.
    mayAlsoFail: ['ttl.expires-on-time', 'express.expired-gets-fresh-session'],
    create: secondsTtlStore((ttl, expiresAt) => (ttl === 0 ? null : expiresAt)),
  }),
  brokenStore({
    name: 'clock-expiry',
    defect:
      'expiry is the last write plus originalMaxAge, from its own clock; cookie.expires is ignored ' +
      '(session-file-store)',
    breaks: ['ttl.past-expiry-not-returned'],
    mayAlsoFail: ['touch.does-not-revive-expired'],
    create: () =>
      new (class extends ReferenceStore {
        protected override expiryOf(cookie: CookieLike | undefined): number | null {
          const maxAge = cookie?.originalMaxAge
          return typeof maxAge === 'number' ? Date.now() + maxAge : null
        }
      })(),
  }),
  brokenStore({
    name: 'touch-crashes-on-clock-expired',
    mayAlsoFail: ['races.logout-not-undone-by-touch'],
    defect:
      'touch() looks the entry up in an index that outlives the data: on a session that expired by the clock ' +
      'it throws a TypeError from a timer',
    breaks: ['ttl.natural-expiry-safe', 'touch.does-not-revive-naturally-expired'],
    create: () =>
      new (class extends ReferenceStore {
        readonly index = new Set<string>()
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          super.set(sid, sess, (err) => {
            if (this.entries.has(sid)) this.index.add(sid)
            callback?.(err)
          })
        }
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          if (!this.index.has(sid)) return super.touch(sid, sess, callback)
          setImmediate(() => {
            const entry = this.entries.get(sid) as Entry
            entry.expiresAt = this.expiryOf(sess.cookie)
            callback?.(null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'touch-revives-clock-expired',
    defect: 'touch() renews entries that expired by the clock but were not reaped yet',
    breaks: ['touch.does-not-revive-naturally-expired'],
    create: () =>
      new (class extends LazyReapStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          setImmediate(() => {
            const entry = this.entries.get(sid)
            if (entry) entry.expiresAt = this.expiryOf(sess.cookie)
            callback?.(null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'text-column-64k',
    defect: 'keeps the first 64 KB of a session silently (a TEXT column in non-strict SQL mode)',
    // Not medium-payload too: a silent cut is the required check's finding, reported once.
    breaks: ['serialization.large-payload'],
    create: cappedStore(65_535, 'truncate'),
  }),
  brokenStore({
    name: 'rejects-over-64k',
    defect: 'set() of a session over 64 KB fails with "Data too long" (a TEXT column in strict SQL mode)',
    breaks: ['serialization.medium-payload'],
    create: cappedStore(65_535, 'reject'),
  }),
  brokenStore({
    name: 'no-touch',
    defect: 'expires sessions by cookie.expires but has no touch(): activity never extends a session',
    breaks: ['touch.present-when-expiring', 'express.active-user-kept'],
    create: () => {
      const store = new ReferenceStore()
      Object.defineProperty(store, 'touch', { value: undefined })
      return store
    },
  }),
  brokenStore({
    name: 'get-throws-on-cookieless',
    defect: 'get() reads cookie.expires synchronously and throws on a record without a cookie',
    breaks: ['get.foreign-record'],
    create: () =>
      new (class extends ReferenceStore {
        override get(sid: string, callback: Callback) {
          const entry = this.live(sid)
          if (entry) {
            const parsed = JSON.parse(entry.text) as { cookie: { expires: unknown } }
            if (parsed.cookie.expires === 0) return callback(null, null)
          }
          super.get(sid, callback)
        }
      })(),
  }),
]
