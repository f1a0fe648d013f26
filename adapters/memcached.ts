import type { SessionStore } from '../src/types.js'
import { defineAdapter } from './_adapter.js'
import { Cleanup } from './_cleanup.js'
import { provisionBackend } from './_backends/provision.js'
import { memcachedHost, memcachedSpec } from './_backends/specs.js'
import { importPackage, runToken } from './_packages.js'

type MemcachedStoreFactory = (session: unknown) => new (options: object) => SessionStore & { client: { end(): void } }

/** connect-memcached: one memcached item per session. */
export const memcached = defineAdapter({
  name: 'memcached',
  package: 'connect-memcached',
  backend: 'memcached',
  pinned: { prefix: 'unique per run (sc-<token>:); memcached has no way to list or delete by prefix' },
  // Item lifetimes are whole seconds. clear() is flush_all, which empties the whole server: it is
  // declared absent so it is never called, not even with --allow-clear, on a server we may share.
  capabilities: { ttlGranularityMs: 1000, clear: false },
  isolation:
    'key prefix sc-<token>: unique per run; each check destroys its own keys (memcached cannot delete by prefix); clear() (flush_all, server-wide) is never called',
  async open({ session, url }) {
    const { default: factory } = await importPackage<{ default: MemcachedStoreFactory }>('connect-memcached', 'memcached')
    const MemcachedStore = factory(session)
    const cleanup = new Cleanup()
    return cleanup.guard(async () => {
      const backend = await provisionBackend(memcachedSpec, url === undefined ? {} : { url })
      cleanup.add(`stop the ${backend.source} memcached`, () => backend.stop())
      const prefix = `sc-${runToken()}:`
      const store = new MemcachedStore({ hosts: [memcachedHost(backend.url)], prefix })
      cleanup.add('disconnect from memcached', () => store.client.end())
      return { store, backend, namespace: `memcached key prefix ${prefix}`, close: () => cleanup.run() }
    })
  },
})
