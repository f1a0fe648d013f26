import { backendOf } from '../backends/index.js'
import { adapterInfo } from '../backends/info.js'
import type { Adapter, OpenedStore } from '../backends/types.js'
import type { StoreProvider } from '../core/types.js'

/** Enough for a first image pull and a database's first start. */
const PROVISION_TIMEOUT_MS = 180_000

/**
 * A built-in adapter as a provider for one run: opening it provisions the backend and the
 * namespace, closing it removes both. `info` reports what produced the results.
 */
export function adapterProvider(adapter: Adapter, options: { url?: string | undefined } = {}): StoreProvider {
  let opened: OpenedStore | undefined
  let opening: Promise<OpenedStore> | undefined
  return {
    name: adapter.name,
    capabilities: adapter.capabilities,
    // Provisioning may pull and start a container: longer than a plain factory gets.
    createTimeoutMs: PROVISION_TIMEOUT_MS,
    async create(session) {
      opening = adapter.open({ session, url: options.url })
      opened = await opening
      return opened.store
    },
    backendInstance: async (timeoutMs) => {
      const url = opened?.backend?.url
      const identify = backendOf(adapter.name)?.server?.instance
      if (url === undefined || !identify) throw new Error('no backend to identify')
      return identify(url, timeoutMs)
    },
    // Also closes a store that finished opening after the run gave up waiting for it.
    close: async () => (opened ?? (await opening?.catch(() => undefined)))?.close(),
    // Getters: what the opened store offers is known once create() has opened it.
    get peer() {
      return opened?.peer?.bind(opened)
    },
    get backendExpiry() {
      return opened?.backendExpiry?.bind(opened)
    },
    info: () => {
      const backend = opened?.backend
      return {
        ...adapterInfo(adapter),
        backend: adapter.backend
          ? { kind: adapter.backend, source: backend?.source, version: backend?.version }
          : undefined,
        namespace: opened?.namespace,
      }
    },
  }
}
