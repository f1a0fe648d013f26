import { forEachConcurrently } from '../core/concurrently.js'
import { buildSession } from '../core/sessions.js'
import { runToken } from '../core/token.js'
import type { ExpressSessionModule, SessionInput, SessionStore, StoreCalls } from '../core/types.js'
import { sessionData } from './payloads.js'

/** How many pool sessions are written at once while seeding. */
const SEED_CONCURRENCY = 16

export interface WorkspaceOptions {
  /** What is measured: a store's calls, a raw backend client, or the no-op harness target. */
  readonly calls: StoreCalls
  /** The store sessions are built with (express-session's createSession on it). */
  readonly store: SessionStore
  readonly expressSession: ExpressSessionModule
  readonly payloadBytes: number
  /** Sessions pre-seeded for hits, updates, touches and request mixes. @default 100 */
  readonly poolSize?: number
}

export interface PooledSession {
  readonly sid: string
  readonly session: SessionInput
}

/**
 * The sessions one target holds for the bench at one payload size, inside a random id
 * namespace: a pool seeded once and shared by every operation and run, and the spare sessions
 * set-new wrote for destroy to remove. cleanup() destroys every id it ever wrote.
 */
export class Workspace {
  readonly calls: StoreCalls
  readonly pool: readonly PooledSession[]
  /** Sessions written and not yet destroyed (set-new's, for destroy to take). */
  readonly spare: string[] = []
  readonly #options: WorkspaceOptions
  readonly #data: Record<string, unknown>
  readonly #prefix = `sc-bench-${runToken()}-`
  readonly #written = new Set<string>()
  #counter = 0
  #seeded = false

  constructor(options: WorkspaceOptions) {
    this.#options = options
    this.calls = options.calls
    this.#data = sessionData(options.payloadBytes)
    this.pool = Array.from({ length: options.poolSize ?? 100 }, () => {
      const sid = this.freshId()
      return { sid, session: this.session(sid) }
    })
  }

  /** An id nobody has written yet. */
  freshId(): string {
    return `${this.#prefix}${(this.#counter++).toString(36)}`
  }

  /** A real express-session Session carrying the payload. */
  session(sid: string): SessionInput {
    return buildSession(this.#options.store, this.#options.expressSession, sid, this.#data)
  }

  /** Writes a new session (untimed preparation, or set-new itself) and remembers it for cleanup. */
  async write(sid: string, session: unknown = this.session(sid)): Promise<void> {
    this.#written.add(sid)
    await this.calls.set(sid, session)
  }

  /** Destroys a session this workspace wrote. */
  async remove(sid: string): Promise<void> {
    await this.calls.destroy(sid)
    this.#written.delete(sid)
  }

  /** Writes the pool once; later calls find it there. */
  async seedPool(): Promise<void> {
    if (this.#seeded) return
    await forEachConcurrently(this.pool, SEED_CONCURRENCY, ({ sid, session }) => this.write(sid, session))
    this.#seeded = true
  }

  async cleanup(): Promise<void> {
    const written = [...this.#written]
    await forEachConcurrently(written, SEED_CONCURRENCY, (sid) => this.remove(sid).catch(() => {}))
    this.spare.length = 0
    this.#seeded = false
  }

  /** Ids written and not destroyed yet (what cleanup would remove). */
  get written(): number {
    return this.#written.size
  }
}
