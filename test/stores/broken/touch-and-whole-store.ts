import type session from 'express-session'
import { type Callback, type Entry, ReferenceStore } from '../correct/reference-store.js'
import { brokenStore } from './broken-store.js'

/** Keeps expired entries until a timer would reap them: reads filter them out but leave them. */
class ReapsLaterStore extends ReferenceStore {
  protected override live(sid: string): Entry | undefined {
    const entry = this.entries.get(sid)
    return entry && !this.isExpired(entry) ? entry : undefined
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback) {
    setImmediate(() => {
      this.entries.set(sid, { text: JSON.stringify(sess), expiresAt: this.expiryOf(sess.cookie) })
      callback?.(null)
    })
  }
}

export const touchAndWholeStoreBroken = [
  brokenStore({
    name: 'touch-saves-data',
    defect: 'touch() writes the whole session it is given, like set()',
    breaks: ['touch.keeps-data'],
    // Its touch() writes the session the request loaded: the overlapping save is lost.
    mayAlsoFail: ['races.touch-keeps-concurrent-write'],
    create: () =>
      new (class extends ReferenceStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          if (!this.entries.has(sid)) return void setImmediate(() => callback?.(null))
          this.set(sid, sess, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'touch-resurrects',
    defect: 'touch() of a missing id writes { cookie } (session-file-store)',
    // The app-level view: a late touch() brings a logged-out session back.
    breaks: ['touch.missing-not-created', 'races.logout-not-undone-by-touch'],
    create: () =>
      new (class extends ReferenceStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          if (this.live(sid)) return super.touch(sid, sess, callback)
          this.set(sid, { cookie: sess.cookie } as session.SessionData, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'touch-missing-errors',
    defect: 'touch() of a missing id calls back with "Unable to find the session to touch" (connect-mongo)',
    breaks: ['touch.missing-no-error'],
    create: () =>
      new (class extends ReferenceStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          if (!this.live(sid))
            return void setImmediate(() => callback?.(new Error('Unable to find the session to touch')))
          super.touch(sid, sess, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'touch-revives-expired',
    defect: 'touch() updates entries that have expired but were not yet reaped',
    breaks: ['touch.does-not-revive-expired'],
    create: () =>
      new (class extends ReapsLaterStore {
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          setImmediate(() => {
            const entry = this.entries.get(sid)
            if (entry) {
              entry.text = JSON.stringify({ ...(JSON.parse(entry.text) as object), cookie: sess.cookie })
              entry.expiresAt = this.expiryOf(sess.cookie)
            }
            callback?.(null)
          })
        }
      })(),
  }),
  brokenStore({
    name: 'length-counts-expired',
    defect:
      'length() counts expired entries that were not reaped yet (connect-mongo countDocuments, session-file-store)',
    breaks: ['length.counts-live'],
    create: () =>
      new (class extends ReapsLaterStore {
        override length(callback: Callback) {
          setImmediate(() => callback(null, this.entries.size))
        }
      })(),
  }),
  brokenStore({
    name: 'all-lists-expired',
    defect: 'all() returns expired entries that were not reaped yet',
    breaks: ['all.lists-live'],
    create: () =>
      new (class extends ReapsLaterStore {
        override all(callback: Callback) {
          setImmediate(() =>
            callback(
              null,
              Object.fromEntries(
                [...this.entries].map(([sid, entry]: [string, Entry]) => [sid, JSON.parse(entry.text)]),
              ),
            ),
          )
        }
      })(),
  }),
  brokenStore({
    name: 'clear-not-awaited',
    defect: 'clear() calls back before the sessions are removed',
    breaks: ['clear.empties-store'],
    create: () =>
      new (class extends ReferenceStore {
        override clear(callback?: Callback) {
          setImmediate(() => callback?.(null))
          setTimeout(() => this.entries.clear(), 500)
        }
      })(),
  }),
]
