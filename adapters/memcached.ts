import type { SessionStore } from '../src/types.js'
import { defineAdapter } from './_adapter.js'
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
  // Item lifetimes are whole seconds.
  capabilities: { ttlGranularityMs: 1000 },
  isolation:
    'key prefix sc-<token>: unique per run; each check destroys its own keys (memcached cannot delete by prefix), and clear() — a server-wide flush in this store — never runs because the store cannot report that it is empty',
  async open({ session, url }) {
    const { default: factory } = await importPackage<{ default: MemcachedStoreFactory }>('connect-memcached', 'memcached')
    const MemcachedStore = factory(session)
    const backend = await provisionBackend(memcachedSpec, url === undefined ? {} : { url })
    const store = new MemcachedStore({ hosts: [memcachedHost(backend.url)], prefix: `sc-${runToken()}:` })
    return {
      store,
      backend,
      async close() {
        store.client.end()
        await backend.stop()
      },
    }
  },
})
