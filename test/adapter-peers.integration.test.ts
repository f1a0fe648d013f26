import { describe, expect, type TestContext, test } from 'vitest'
import { isRequired, requiredList } from '../src/api/required.js'
import { backendOf, builtinAdapterNames, loadAdapter } from '../src/backends/index.js'
import type { Adapter, OpenedStore } from '../src/backends/types.js'
import { BackendUnavailableError } from '../src/backends/unavailable.js'
import { expressSession } from '../src/core/express-session.js'
import { buildSession } from '../src/core/sessions.js'
import type { CookieSpec, SessionStore } from '../src/core/types.js'

const required = requiredList([])
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/** Room for the calls themselves and memcached's once-a-second clock, on a busy machine. */
const SLACK_MS = 2000

/** In-process stores: another instance would share nothing with the run's. */
const NO_PEER = new Set(['memory', 'memorystore'])

/**
 * The lifetime each store gives a browser-session cookie (expires null), from its source. None
 * stores it without an expiry: each falls back to a default of its own.
 */
const BROWSER_SESSION_TTL_MS: Record<string, number> = {
  // connect-redis getTTL: no cookie.expires → this.ttl, `opts.ttl || 86400` seconds.
  redis: DAY_MS,
  // connect-pg-simple #getExpireTime: Math.ceil(Date.now() / 1000 + (this.ttl || ONE_DAY)).
  postgres: DAY_MS,
  // express-mysql-session set: Date.now() + options.expiration (default 86400000 ms).
  mysql: DAY_MS,
  // connect-memcached set: cookie.maxAge is null, not a number → oneDay (86400 s).
  memcached: DAY_MS,
  // connect-mongo computeExpires: now + ttl (default 1209600 s).
  mongo: 14 * DAY_MS,
}

/** Opens `adapter`, or skips the test with the reason when its backend is unavailable and not required here. */
async function openOrSkip(adapter: Adapter, context: TestContext): Promise<OpenedStore> {
  try {
    return await adapter.open({ session: expressSession })
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error
    expect(isRequired(required, adapter.name, adapter.backend), `${adapter.name} is required: ${error.message}`).toBe(
      false,
    )
    // Printed as well as noted on the skip, so a run's log says why nothing was checked.
    console.warn(`skipped ${adapter.name}: ${error.message}`)
    return context.skip(error.message)
  }
}

function set(store: SessionStore, sid: string, session: unknown): Promise<void> {
  return new Promise((resolve, reject) => store.set(sid, session, (error) => (error ? reject(error) : resolve())))
}

function get(store: SessionStore, sid: string): Promise<unknown> {
  return new Promise((resolve, reject) => store.get(sid, (error, value) => (error ? reject(error) : resolve(value))))
}

function destroy(store: SessionStore, sid: string): Promise<void> {
  return new Promise((resolve, reject) => store.destroy(sid, (error) => (error ? reject(error) : resolve())))
}

/** A session as express-session hands it over (a real Cookie), written through `store`. */
async function write(store: SessionStore, sid: string, data: Record<string, unknown>, cookie?: CookieSpec) {
  const session = buildSession(store, expressSession, sid, data, cookie)
  await set(store, sid, session)
  return session
}

/** What of the namespace the backend still holds, asked over a connection of its own. */
function leftovers(name: string, opened: OpenedStore, keys: readonly string[]): Promise<string[]> {
  const probe = backendOf(name)?.leftovers
  if (!probe || opened.namespace === undefined) throw new Error(`${name} has no leftover probe`)
  return probe(opened.backend?.url ?? '', opened.namespace, keys)
}

describe.concurrent.for(builtinAdapterNames)('%s', (name) => {
  test('a peer is another store on the same data: each reads what the other wrote', async (context) => {
    const adapter = await loadAdapter(name)
    const opened = await openOrSkip(adapter, context)
    try {
      if (NO_PEER.has(name)) return expect(opened.peer).toBeUndefined()
      const peer = await (opened.peer as NonNullable<OpenedStore['peer']>)()
      try {
        expect(peer.store).not.toBe(opened.store)
        await write(opened.store, 'from-store', { user: 'ada' })
        expect(await get(peer.store, 'from-store')).toMatchObject({ user: 'ada' })
        await write(peer.store, 'from-peer', { user: 'grace' })
        expect(await get(opened.store, 'from-peer')).toMatchObject({ user: 'grace' })
        await write(peer.store, 'from-store', { user: 'ada', visits: 2 })
        expect(await get(opened.store, 'from-store')).toMatchObject({ visits: 2 })
      } finally {
        await peer.close()
      }
    } finally {
      await opened.close()
    }
  })

  test('closing a peer disconnects it only; one left open is let go with the store', async (context) => {
    if (NO_PEER.has(name)) return context.skip('no peer: an in-process store')
    const adapter = await loadAdapter(name)
    const opened = await openOrSkip(adapter, context)
    let closed = false
    try {
      const open = opened.peer as NonNullable<OpenedStore['peer']>
      const [closing, leftOpen] = [await open(), await open()]
      await write(opened.store, 'kept', { user: 'ada' })
      await closing.close()
      await closing.close()
      expect(await get(opened.store, 'kept')).toMatchObject({ user: 'ada' })
      expect(await leftovers(name, opened, ['kept'])).not.toEqual([])
      await write(opened.store, 'after', { user: 'grace' })
      expect(await get(leftOpen.store, 'after')).toMatchObject({ user: 'grace' })
      // Memcached cannot remove by prefix: what was written goes first, so only the namespace is asked about.
      await Promise.all([destroy(opened.store, 'kept'), destroy(opened.store, 'after')])
      closed = true
      await opened.close()
      // A server started for the run stopped with it: only a shared one (or a directory) is left to ask.
      const stays = opened.backend === undefined || opened.backend.source === 'env'
      if (stays) expect(await leftovers(name, opened, ['kept', 'after'])).toEqual([])
      // connect-redis exposes its client: the peer never closed was disconnected by the store's close.
      if (name === 'redis')
        expect((leftOpen.store as unknown as { client: { isOpen: boolean } }).client.isOpen).toBe(false)
    } finally {
      if (!closed) await opened.close()
    }
  })

  test('backendExpiry reads when the backend drops an entry', async (context) => {
    const adapter = await loadAdapter(name)
    const opened = await openOrSkip(adapter, context)
    try {
      // In-process stores and files hold no expiry apart from the session's own cookie.
      if (!adapter.backend) return expect(opened.backendExpiry).toBeUndefined()
      const expiry = opened.backendExpiry as NonNullable<OpenedStore['backendExpiry']>
      const margin = (adapter.capabilities.ttlGranularityMs ?? 1000) + SLACK_MS

      const hour = await write(opened.store, 'hour', {}, { maxAge: HOUR_MS })
      const hourAt = await expiry('hour')
      expect(hourAt).toBeTypeOf('number')
      expect(Math.abs((hourAt as number) - (hour.cookie.expires as Date).getTime())).toBeLessThanOrEqual(margin)

      const ttl = BROWSER_SESSION_TTL_MS[name] as number
      const before = Date.now()
      await write(opened.store, 'browser', {}, { maxAge: null })
      const after = Date.now()
      const browserAt = await expiry('browser')
      expect(browserAt).toBeTypeOf('number')
      expect(browserAt).toBeGreaterThanOrEqual(before + ttl - margin)
      expect(browserAt).toBeLessThanOrEqual(after + ttl + margin)

      expect(await expiry('never-written')).toBeUndefined()
      await destroy(opened.store, 'hour')
      expect(await expiry('hour')).toBeUndefined()
      await destroy(opened.store, 'browser')
    } finally {
      await opened.close()
    }
  })
})

/** connect-memcached passes (maxAge / 1000) | 0 seconds as the lifetime, whatever memcached makes of it. */
describe('connect-memcached lifetimes, as memcached holds them', () => {
  test('over 30 days: read as a Unix time (in 1970), so the entry is gone at once', async (context) => {
    const opened = await openOrSkip(await loadAdapter('memcached'), context)
    try {
      await write(opened.store, 'month', { user: 'ada' }, { maxAge: 31 * DAY_MS })
      expect(await opened.backendExpiry?.('month')).toBeUndefined()
      expect(await get(opened.store, 'month')).toBeUndefined()
    } finally {
      await opened.close()
    }
  })

  test('under 1 s: lifetime 0, which memcached reads as never expiring', async (context) => {
    const opened = await openOrSkip(await loadAdapter('memcached'), context)
    try {
      await write(opened.store, 'blink', { user: 'ada' }, { maxAge: 999 })
      expect(await opened.backendExpiry?.('blink')).toBeNull()
      await destroy(opened.store, 'blink')
    } finally {
      await opened.close()
    }
  })
})
