import type { SessionStore } from '../../core/types.js'
import { defineAdapter } from '../define.js'
import { importPackages } from '../packages.js'

type MemoryStoreFactory = (session: unknown) => new (options: object) => SessionStore & { stopInterval?(): void }

/** memorystore: an LRU-backed in-process store with TTLs in milliseconds. */
export const memorystore = defineAdapter({
  name: 'memorystore',
  package: 'memorystore',
  pinned: {
    checkPeriod: 'unset: no prune interval (it would keep the process alive); stale entries are dropped on read',
  },
  capabilities: { ttlGranularityMs: 0 },
  isolation: 'a fresh in-process instance per run',
  // No peer: another instance would share nothing with this one.
  async open({ session }) {
    const [{ default: factory }] = await importPackages<[{ default: MemoryStoreFactory }]>('memorystore', [
      { name: 'memorystore', range: '^1.6' },
    ])
    const MemoryStore = factory(session)
    const store = new MemoryStore({})
    return { store, close: async () => store.stopInterval?.() }
  },
})
