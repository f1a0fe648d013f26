import { runToken } from '../../core/token.js'
import type { Cleanup } from '../_cleanup.js'
import { openOnServer } from '../_open-on-server.js'
import { peerOpener } from '../_peers.js'
import { defineAdapter } from '../define.js'
import { connectMemcachedStore, importMemcachedStore } from './connect.js'
import { memcachedExpiry } from './expiry.js'
import { memcachedHost, memcachedServer } from './server.js'

/** connect-memcached: one memcached item per session. */
export const connectMemcached = defineAdapter({
  name: 'memcached',
  package: 'connect-memcached',
  backend: memcachedServer.kind,
  pinned: { prefix: 'unique per run (sc-<token>:); memcached has no way to list or delete by prefix' },
  // Item lifetimes are whole seconds, rounded down ((maxAge / 1000) | 0), and memcached's own clock
  // ticks once a second: an item can go up to two seconds before its cookie's expiry. clear() is
  // flush_all, which empties the whole server: it is declared absent so it is never called, not
  // even with --allow-clear, on a server we may share.
  capabilities: { ttlGranularityMs: 2000, clear: false },
  isolation:
    'key prefix sc-<token>: unique per run; each check destroys its own keys (memcached cannot delete by prefix); ' +
    'clear() (flush_all, server-wide) is never called',
  async open({ session, url }) {
    const MemcachedStore = await importMemcachedStore(session)
    return openOnServer(memcachedServer, url, async (backend, cleanup) => {
      const host = memcachedHost(backend.url)
      const prefix = `sc-${runToken()}:`
      const connect = (steps: Cleanup, url?: string) =>
        connectMemcachedStore(MemcachedStore, url === undefined ? host : memcachedHost(url), prefix, steps)
      const { store } = await connect(cleanup)
      return {
        store,
        namespace: prefix,
        peer: peerOpener(cleanup, connect),
        // The store's key is prefix + sid (connect-memcached's getKey).
        backendExpiry: (sid) => memcachedExpiry(host, prefix + sid),
      }
    })
  },
})
