import session from 'express-session'

// biome-ignore lint/suspicious/noExplicitAny: as the callbacks @types/express-session declares on Store
export type Callback = (err?: any, value?: any) => void

export interface Entry {
  text: string
  /** Epoch ms, or null for a browser-session cookie (kept until destroyed). */
  expiresAt: number | null
}

interface CookieLike {
  expires?: Date | string | null
  _expires?: Date | string | null
  originalMaxAge?: number | null
}

/**
 * A careful, independent store: JSON in a Map, expiry from cookie.expires with millisecond
 * precision, deferred callbacks, optional callbacks where express-session may omit them. It is
 * the correct baseline of the test corpus; each broken store overrides one hook or method.
 */
export class ReferenceStore extends session.Store {
  /** `entries` is the backend: instances given the same map share it, like two connections to one server. */
  constructor(readonly entries: Map<string, Entry> = new Map()) {
    super()
  }

  override get(sid: string, callback: Callback): void {
    this.defer(() => {
      const entry = this.live(sid)
      callback(null, entry ? this.parse(entry.text) : null)
    })
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    this.defer(() => {
      const expiresAt = this.expiryOf(sess.cookie as CookieLike)
      // An already-expired session is removed, not stored (connect-redis does the same).
      if (expiresAt !== null && expiresAt <= Date.now()) this.entries.delete(this.keyOf(sid))
      else this.entries.set(this.keyOf(sid), { text: this.serialize(sess), expiresAt })
      callback?.(null)
    })
  }

  override destroy(sid: string, callback?: Callback): void {
    this.defer(() => {
      this.entries.delete(this.keyOf(sid))
      callback?.(null)
    })
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    this.defer(() => {
      const entry = this.live(sid)
      if (entry) {
        const stored = this.parse(entry.text) as Record<string, unknown>
        stored.cookie = sess.cookie
        entry.text = this.serialize(stored)
        entry.expiresAt = this.expiryOf(sess.cookie as CookieLike)
      }
      callback?.(null)
    })
  }

  override length(callback: Callback): void {
    this.defer(() => callback(null, this.liveKeys().length))
  }

  override all(callback: Callback): void {
    this.defer(() => {
      const map: Record<string, unknown> = {}
      for (const key of this.liveKeys()) map[key] = this.parse((this.entries.get(key) as Entry).text)
      callback(null, map)
    })
  }

  override clear(callback?: Callback): void {
    this.defer(() => {
      this.entries.clear()
      callback?.(null)
    })
  }

  // --- hooks the broken stores override ---

  protected keyOf(sid: string): string {
    return sid
  }

  protected serialize(sess: unknown): string {
    return JSON.stringify(sess)
  }

  protected parse(text: string): unknown {
    return JSON.parse(text)
  }

  protected expiryOf(cookie: CookieLike | undefined): number | null {
    const expires = cookie?.expires ?? cookie?._expires
    return expires ? new Date(expires).getTime() : null
  }

  protected isExpired(entry: Entry): boolean {
    return entry.expiresAt !== null && entry.expiresAt <= Date.now()
  }

  protected defer(fn: () => void): void {
    setImmediate(fn)
  }

  /** The entry if it exists and has not expired; expired entries are removed on sight. */
  protected live(sid: string): Entry | undefined {
    const key = this.keyOf(sid)
    const entry = this.entries.get(key)
    if (entry && this.isExpired(entry)) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  protected liveKeys(): string[] {
    return [...this.entries.keys()].filter((key) => !this.isExpired(this.entries.get(key) as Entry))
  }
}

/** The store module form, as a user would write it. */
export default {
  create: () => new ReferenceStore(),
  capabilities: { ttlGranularityMs: 0 },
}
