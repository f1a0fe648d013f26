import type session from 'express-session'
import { type Callback, ReferenceStore } from '../correct/reference-store.js'
import { brokenStore } from './broken-store.js'

type CookieLike = { expires?: Date | string | null; _expires?: Date | string | null; originalMaxAge?: number | null }

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000

/** A store whose JSON goes through `replacer` on the way in. */
function serializingWith(replacer: (key: string, value: unknown) => unknown) {
  return () =>
    new (class extends ReferenceStore {
      protected override serialize(sess: unknown): string {
        return JSON.stringify(sess, replacer)
      }
    })()
}

export const ttlAndSerializationBroken = [
  brokenStore({
    name: 'past-expiry-gets-default-ttl',
    defect:
      'a session set with an expiry in the past is stored with the default TTL instead of being dropped ' +
      '(connect-redis#321 area)',
    breaks: ['ttl.past-expiry-not-returned'],
    create: () =>
      new (class extends ReferenceStore {
        protected override expiryOf(cookie: CookieLike | undefined): number | null {
          const expiresAt = super.expiryOf(cookie)
          return expiresAt !== null && expiresAt <= Date.now() ? Date.now() + DEFAULT_TTL_MS : expiresAt
        }
      })(),
  }),
  brokenStore({
    name: 'minimum-ttl',
    mayAlsoFail: ['express.expired-gets-fresh-session'],
    defect: 'enforces a minimum life of 5 s, so short sessions outlive their cookie',
    breaks: ['ttl.expires-on-time', 'ttl.sub-second-expires'],
    create: () =>
      new (class extends ReferenceStore {
        protected override expiryOf(cookie: CookieLike | undefined): number | null {
          const expiresAt = super.expiryOf(cookie)
          if (expiresAt === null || expiresAt <= Date.now()) return expiresAt
          return Math.max(expiresAt, Date.now() + 5000)
        }
      })(),
  }),
  brokenStore({
    name: 'null-expiry-is-expired',
    defect: 'reads expires: null as new Date(null), the epoch, so browser-session cookies expire at once',
    breaks: ['ttl.browser-session-kept'],
    create: () =>
      new (class extends ReferenceStore {
        protected override expiryOf(cookie: CookieLike | undefined): number | null {
          return new Date((cookie?.expires ?? null) as string).getTime()
        }
      })(),
  }),
  brokenStore({
    name: 'touch-only-on-max-age-change',
    defect: "touch() skips the write unless the cookie's maxAge changed, so ordinary activity never extends a session",
    breaks: ['ttl.touch-extends', 'express.touch-moves-expiry'],
    create: () =>
      new (class extends ReferenceStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          const entry = this.entries.get(sid)
          const stored = entry ? (JSON.parse(entry.text) as { cookie?: CookieLike }).cookie : undefined
          if (stored && stored.originalMaxAge === (sess.cookie as CookieLike).originalMaxAge)
            return void setImmediate(() => callback?.(null))
          super.touch(sid, sess, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'touch-uses-stored-max-age',
    defect: 'touch() extends by the stored cookie\'s maxAge and ignores the one it is given, so "remember me" is lost',
    breaks: ['ttl.touch-honours-new-max-age', 'touch.updates-stored-cookie'],
    create: () =>
      new (class extends ReferenceStore {
        override touch(sid: string, _sess: session.SessionData, callback?: Callback) {
          setImmediate(() => {
            const entry = this.live(sid)
            const maxAge = entry
              ? (JSON.parse(entry.text) as { cookie?: CookieLike }).cookie?.originalMaxAge
              : undefined
            if (entry && typeof maxAge === 'number') entry.expiresAt = Date.now() + maxAge
            callback?.(null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'depth-limited',
    defect: 'serialises only 16 levels deep and drops anything below',
    breaks: ['serialization.nested'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          const cut = (value: unknown, depth: number): unknown => {
            if (value === null || typeof value !== 'object') return value
            if (depth >= 16) return null
            const json =
              typeof (value as { toJSON?: () => unknown }).toJSON === 'function'
                ? (value as { toJSON: () => unknown }).toJSON()
                : value
            if (json === null || typeof json !== 'object') return json
            return Array.isArray(json)
              ? json.map((v) => cut(v, depth + 1))
              : Object.fromEntries(Object.entries(json).map(([k, v]) => [k, cut(v, depth + 1)]))
          }
          return JSON.stringify(cut(sess, 0))
        }
      })(),
  }),
  brokenStore({
    name: 'no-astral-characters',
    defect: 'replaces characters outside the Basic Multilingual Plane with "?" (MySQL utf8mb3)',
    breaks: ['serialization.unicode'],
    create: serializingWith((_key, value) =>
      typeof value === 'string' ? value.replace(/[\u{10000}-\u{10FFFF}]/gu, '?') : value,
    ),
  }),
  brokenStore({
    name: 'strips-nul',
    defect: 'strips NUL characters from strings (PostgreSQL text cannot hold them)',
    breaks: ['serialization.special-characters'],
    create: serializingWith((_key, value) => (typeof value === 'string' ? value.replaceAll('\u0000', '') : value)),
  }),
  brokenStore({
    name: 'twelve-digit-numbers',
    defect: 'keeps numbers to 12 significant digits (a DECIMAL column or a lossy encoder)',
    breaks: ['serialization.numbers'],
    create: serializingWith((_key, value) => (typeof value === 'number' ? Number(value.toPrecision(12)) : value)),
  }),
  brokenStore({
    name: 'drops-empty-strings',
    defect: 'drops empty strings from the session',
    breaks: ['serialization.scalars'],
    create: serializingWith((_key, value) => (value === '' ? undefined : value)),
  }),
  brokenStore({
    name: 'escapes-dotted-keys',
    defect: 'replaces "." and "$" in keys with "_" (mongo-sanitize style)',
    breaks: ['serialization.special-keys'],
    create: serializingWith((_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[.$]/g, '_'), v]))
        : value,
    ),
  }),
  brokenStore({
    name: 'structured-clone',
    defect: 'stores structuredClone(session) instead of JSON, so Dates stay Dates and undefined stays',
    breaks: ['serialization.json-semantics'],
    // structuredClone also gives up near 2,000 levels of nesting, from the store's deferred callback.
    mayAlsoFail: ['safety.deep-nesting'],
    create: () =>
      new (class extends ReferenceStore {
        readonly objects = new Map<string, unknown>()
        protected override serialize(sess: unknown): string {
          const key = `#${this.objects.size}`
          this.objects.set(key, structuredClone(sess))
          return key
        }
        protected override parse(text: string): unknown {
          return structuredClone(this.objects.get(text))
        }
      })(),
  }),
  brokenStore({
    name: 'truncates-large-values',
    defect: 'truncates what it stores at 512 KB (MySQL non-strict mode) and then reads the session as missing',
    breaks: ['serialization.large-payload'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          return JSON.stringify(sess).slice(0, 512 * 1024)
        }
        protected override parse(text: string): unknown {
          try {
            return JSON.parse(text)
          } catch {
            return null
          }
        }
      })(),
  }),
  brokenStore({
    name: 'injects-last-modified',
    defect: 'get() adds a lastModified field to the session (connect-mongo with touchAfter)',
    breaks: ['serialization.no-bookkeeping-leak'],
    create: () =>
      new (class extends ReferenceStore {
        protected override parse(text: string): unknown {
          return { ...(JSON.parse(text) as object), lastModified: new Date().toISOString() }
        }
      })(),
  }),
  brokenStore({
    name: 'needs-cookie-to-json',
    defect: 'set() calls session.cookie.toJSON(), which plain objects do not have',
    breaks: ['serialization.plain-json-input'],
    create: () =>
      new (class extends ReferenceStore {
        protected override serialize(sess: unknown): string {
          const { cookie, ...data } = sess as { cookie: { toJSON(): unknown } }
          return JSON.stringify({ ...data, cookie: cookie.toJSON() })
        }
      })(),
  }),
]
