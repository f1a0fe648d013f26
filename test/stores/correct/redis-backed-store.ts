import { randomBytes } from 'node:crypto'
import session from 'express-session'
import { createClient } from 'redis'
import type { CreateOptions, ExpressSessionModule } from '../../../src/core/types.js'
import type { Callback } from './reference-store.js'

/** The Redis every test of this repository uses (CI starts one on the default port). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * Below the per-call timeout of the tests that run it (1.5 s for the broken variants, 3 s by
 * default), so a stalled backend yields an error, not a hang; well above a loaded machine's Redis
 * round trip, so a healthy one never does.
 */
const COMMAND_TIMEOUT_MS = 1000

type RedisClient = ReturnType<typeof createClient>

interface CookieLike {
  expires?: Date | string | null
}

/**
 * A careful store on a real Redis, the correct baseline of the resilience corpus: it fails fast
 * while the backend is away (no offline queue, a command timeout), reconnects for ever with a
 * short backoff, says 'disconnect' and 'connect' as express-session expects, and never acknowledges
 * a write Redis did not confirm. Each broken resilience store overrides one hook.
 */
export class RedisBackedStore extends session.Store {
  readonly client: RedisClient
  /** The first connection: commands wait for it (later outages fail fast instead). */
  connected: Promise<unknown> = Promise.resolve()
  #ready = false

  constructor(
    url: string,
    readonly prefix: string,
  ) {
    super()
    this.client = this.connect(url)
  }

  /** Hook: how the client is made and watched. */
  connect(target: string): RedisClient {
    const client = createClient({
      url: target,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(50 * (retries + 1), 300) },
    })
    client.on('error', (error: Error) => this.onClientError(error))
    client.on('ready', () => {
      this.#ready = true
      this.emit('connect')
    })
    client.on('end', () => this.lost())
    client.on('reconnecting', () => this.lost())
    this.connected = client.connect().catch(() => {})
    return client
  }

  /** Hook: an error event of the client (it reconnects by itself). */
  onClientError(_error: Error): void {
    this.lost()
  }

  lost(): void {
    if (!this.#ready) return
    this.#ready = false
    this.emit('disconnect')
  }

  /** Hook: runs one command with a deadline; the callback gets its result or its error, once. */
  run<T>(command: () => Promise<T>, callback: Callback | undefined, map: (value: T) => unknown = () => undefined) {
    let done = false
    const finish = (error: unknown, value?: unknown) => {
      if (done) return
      done = true
      clearTimeout(timer)
      callback?.(error ?? null, value)
    }
    const timer = setTimeout(
      () => finish(new Error(`redis did not answer within ${COMMAND_TIMEOUT_MS} ms`)),
      COMMAND_TIMEOUT_MS,
    )
    this.connected
      .then(command)
      .then(map)
      .then(
        (value) => finish(null, value),
        (error: unknown) => finish(error),
      )
  }

  key(sid: string): string {
    return this.prefix + sid
  }

  override get(sid: string, callback: Callback): void {
    this.run(
      () => this.client.get(this.key(sid)),
      callback,
      (text) => (text ? JSON.parse(text) : null),
    )
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    const ttl = ttlOf(sess.cookie as CookieLike)
    const key = this.key(sid)
    const text = JSON.stringify(sess)
    // An already-expired session is removed, not stored (connect-redis does the same).
    if (ttl !== null && ttl <= 0) this.run(() => this.client.del(key), callback)
    else this.run(() => (ttl === null ? this.client.set(key, text) : this.client.set(key, text, { PX: ttl })), callback)
  }

  override destroy(sid: string, callback?: Callback): void {
    this.run(() => this.client.del(this.key(sid)), callback)
  }

  /** The stored record keeps its data; only its cookie and expiry move (never a write of stale data). */
  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    const key = this.key(sid)
    this.run(async () => {
      const text = await this.client.get(key)
      if (!text) return
      const stored = { ...JSON.parse(text), cookie: sess.cookie }
      const ttl = ttlOf(sess.cookie as CookieLike)
      if (ttl !== null && ttl <= 0) return void (await this.client.del(key))
      const options = ttl === null ? { XX: true as const } : { XX: true as const, PX: ttl }
      await this.client.set(key, JSON.stringify(stored), options)
    }, callback)
  }

  override length(callback: Callback): void {
    this.run(
      () => this.keys(),
      callback,
      (keys) => keys.length,
    )
  }

  override all(callback: Callback): void {
    this.run(
      async () => {
        const keys = await this.keys()
        const texts = keys.length > 0 ? await this.client.mGet(keys) : []
        const sessions: Record<string, unknown> = {}
        keys.forEach((key, index) => {
          const text = texts[index]
          if (text) sessions[key.slice(this.prefix.length)] = JSON.parse(text)
        })
        return sessions
      },
      callback,
      (sessions) => sessions,
    )
  }

  override clear(callback?: Callback): void {
    this.run(async () => {
      const keys = await this.keys()
      if (keys.length > 0) await this.client.del(keys)
    }, callback)
  }

  async keys(): Promise<string[]> {
    const found: string[] = []
    for await (const batch of this.client.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 500 })) found.push(...batch)
    return found
  }

  close(): Promise<void> {
    return this.client.isOpen ? this.client.close().catch(() => this.client.destroy()) : Promise.resolve()
  }
}

/** Milliseconds left on the cookie (null: a browser-session cookie, kept until destroyed). */
function ttlOf(cookie: CookieLike | undefined): number | null {
  const expires = cookie?.expires
  if (expires === undefined || expires === null) return null
  return new Date(expires).getTime() - Date.now()
}

export type RedisBackedStoreClass = new (url: string, prefix: string) => RedisBackedStore

/**
 * A store module as a user would write one for the fault checks: it names its backend
 * (`upstream`) and connects wherever `create`'s `connectTo` says. Each module gets a prefix of its
 * own, shared by the instances it makes (a run's store, its peers, its fault instances).
 */
export function redisBackedModule(Store: RedisBackedStoreClass = RedisBackedStore) {
  const prefix = `sc-test-${randomBytes(4).toString('hex')}:`
  return {
    upstream: REDIS_URL,
    capabilities: { ttlGranularityMs: 0 },
    create(_session: ExpressSessionModule, options?: CreateOptions) {
      // The fault checks' instances connect through a proxy: the same store, another route to Redis.
      return new Store(options?.connectTo?.url ?? REDIS_URL, prefix)
    },
    close: (store: object) => (store as RedisBackedStore).close(),
  }
}

/** For the correct-stores test (loaded by path, as a user's module is). */
export default redisBackedModule()
