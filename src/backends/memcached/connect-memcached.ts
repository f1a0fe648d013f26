import { runToken } from '../../core/token.js'
import type { SessionStore } from '../../core/types.js'
import { openOnServer } from '../_open-on-server.js'
import { importPackage } from '../_packages.js'
import { defineAdapter } from '../define.js'
import { memcachedHost, memcachedServer } from './server.js'

type MemcachedStoreFactory = (session: unknown) => new (options: object) => SessionStore & { client: { end(): void } }

/** connect-memcached: one memcached item per session. */
export const connectMemcached = defineAdapter({
  name: 'memcached',
  package: 'connect-memcached',
  backend: memcachedServer.kind,
  pinned: { prefix: 'unique per run (sc-<token>:); memcached has no way to list or delete by prefix' },
  // Item lifetimes are whole seconds. clear() is flush_all, which empties the whole server: it is
  // declared absent so it is never called, not even with --allow-clear, on a server we may share.
  capabilities: { ttlGranularityMs: 1000, clear: false },
  isolation:
    'key prefix sc-<token>: unique per run; each check destroys its own keys (memcached cannot delete by prefix); ' +
    'clear() (flush_all, server-wide) is never called',
  async open({ session, url }) {
    const { default: factory } = await importPackage<{ default: MemcachedStoreFactory }>(
      'connect-memcached',
      'memcached',
    )
    const MemcachedStore = factory(session)
    return openOnServer(memcachedServer, url, async (backend, cleanup) => {
      const prefix = `sc-${runToken()}:`
      const store = new MemcachedStore({ hosts: [memcachedHost(backend.url)], prefix })
      cleanup.add('disconnect from memcached', () => store.client.end())
      return { store, namespace: prefix }
    })
  },
})
