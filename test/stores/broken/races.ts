import type session from 'express-session'
import { type Callback, type Entry, ReferenceStore } from '../correct/reference-store.js'
import { type BrokenStore, brokenStore } from './broken-store.js'
import { sharedStores } from './visibility-and-containment.js'

/** Writes a pipeline sends in one batch before its reply matching goes wrong. */
const PIPELINE_WINDOW = 48

/** How long a per-instance read cache trusts what it read. */
const CACHE_MS = 5000

export const racesBroken: readonly BrokenStore[] = [
  brokenStore({
    name: 'touch-writes-last-read',
    defect:
      'touch() writes back the data get() read, with the new cookie (a read cache that set() does not update): a ' +
      "touch landing after another request's save restores what was read before it",
    breaks: ['races.touch-keeps-concurrent-write'],
    create: () =>
      new (class extends ReferenceStore {
        readonly #read = new Map<string, Record<string, unknown>>()
        override get(sid: string, callback: Callback) {
          super.get(sid, (err, sess) => {
            if (sess) this.#read.set(sid, sess)
            callback(err, sess)
          })
        }
        override touch(sid: string, sess: session.SessionData, callback?: Callback) {
          const read = this.#read.get(sid)
          if (!read || !this.live(sid)) return super.touch(sid, sess, callback)
          this.set(sid, { ...read, cookie: sess.cookie } as session.SessionData, callback)
        }
      })(),
  }),
  brokenStore({
    name: 'read-cache-per-instance',
    defect:
      `each instance caches what it read for ${CACHE_MS / 1000} s and forgets only its own writes: a second app ` +
      'server serves the session as it was before the save the user just made on the first',
    breaks: ['races.read-your-writes'],
    // The same stale copy hides a destroy from the second instance, as it hides a save.
    mayAlsoFail: ['destroy.visible-on-callback'],
    create: sharedStores(
      (entries) =>
        new (class extends ReferenceStore {
          readonly #cache = new Map<string, { entry: Entry; at: number }>()
          override get(sid: string, callback: Callback) {
            const cached = this.#cache.get(sid)
            if (cached && Date.now() - cached.at < CACHE_MS && !this.isExpired(cached.entry)) {
              return void setImmediate(() => callback(null, this.parse(cached.entry.text)))
            }
            super.get(sid, (err, sess) => {
              const entry = this.live(sid)
              if (sess && entry) this.#cache.set(sid, { entry: { ...entry }, at: Date.now() })
              callback(err, sess)
            })
          }
          override set(sid: string, sess: session.SessionData, callback?: Callback) {
            this.#cache.delete(sid)
            super.set(sid, sess, callback)
          }
          override destroy(sid: string, callback?: Callback) {
            this.#cache.delete(sid)
            super.destroy(sid, callback)
          }
        })(entries),
    ),
  }),
  brokenStore({
    name: 'pipeline-overflow-crosses-sessions',
    defect:
      `set() pipelines the writes of one tick; past ${PIPELINE_WINDOW} in a batch its reply matching is off by ` +
      "one and writes each overflowing session under the next one's id: a burst of new sessions swaps users' data",
    breaks: ['races.parallel-sessions-isolated'],
    create: () =>
      new (class extends ReferenceStore {
        #batch: { sid: string; sess: session.SessionData; callback?: Callback }[] = []
        override set(sid: string, sess: session.SessionData, callback?: Callback) {
          if (this.#batch.length === 0) setImmediate(() => this.#flush())
          this.#batch.push({ sid, sess, callback })
        }
        #flush() {
          const batch = this.#batch
          this.#batch = []
          batch.forEach(({ sess, callback }, index) => {
            const overflow = index >= PIPELINE_WINDOW ? batch.slice(PIPELINE_WINDOW) : []
            const target =
              overflow.length > 0 ? overflow[(index - PIPELINE_WINDOW + 1) % overflow.length] : batch[index]
            super.set(target?.sid ?? '', sess, callback)
          })
        }
      })(),
  }),
]
