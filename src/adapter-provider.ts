import type { Adapter, OpenedStore } from '../adapters/_adapter.js'
import { packageVersion } from '../adapters/_packages.js'
import type { StoreProvider } from './types.js'

/**
 * A built-in adapter as a provider for one run: opening it provisions the backend and the
 * namespace, closing it removes both. `info` reports what produced the results.
 */
export function adapterProvider(adapter: Adapter, options: { url?: string } = {}): StoreProvider {
  let opened: OpenedStore | undefined
  return {
    name: adapter.name,
    capabilities: adapter.capabilities,
    async create(session) {
      opened = await adapter.open({ session, ...(options.url === undefined ? {} : { url: options.url }) })
      return opened.store
    },
    close: async () => opened?.close(),
    info: () => ({
      package: adapter.package,
      version: packageVersion(adapter.package),
      pinned: adapter.pinned,
      isolation: adapter.isolation,
      ...(adapter.backend
        ? {
            backend: opened?.backend
              ? { kind: adapter.backend, source: opened.backend.source, version: opened.backend.version }
              : { kind: adapter.backend },
          }
        : {}),
    }),
  }
}
