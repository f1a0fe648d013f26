import type { SessionStore } from '../../core/types.js'
import type { Cleanup } from '../_cleanup.js'
import { importPackages } from '../packages.js'

type MemcachedStore = SessionStore & { client: { end(): void } }
export type MemcachedStoreClass = new (options: object) => MemcachedStore

/** connect-memcached's store class for `session`, imported once per open. */
export async function importMemcachedStore(session: unknown): Promise<MemcachedStoreClass> {
  // memcached is connect-memcached's own client, which the adapter also uses directly (cleanup, baseline).
  const [{ default: factory }] = await importPackages<
    [{ default: (session: unknown) => MemcachedStoreClass }, unknown]
  >('memcached', [
    { name: 'connect-memcached', range: '^3' },
    { name: 'memcached', range: '^2.2' },
  ])
  return factory(session)
}

/**
 * A MemcachedStore with a `memcached` client of its own (the store makes it from `hosts`) under
 * `prefix`: how the run's store and each of its peers are made.
 */
export async function connectMemcachedStore(
  MemcachedStore: MemcachedStoreClass,
  host: string,
  prefix: string,
  cleanup: Cleanup,
): Promise<{ store: MemcachedStore }> {
  const store = new MemcachedStore({ hosts: [host], prefix })
  cleanup.add('disconnect from memcached', () => store.client.end())
  return { store }
}
