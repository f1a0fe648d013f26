import { type FaultableOpener, type FaultMethod, faultableOpener } from '../backends/faultable.js'
import { backendOf } from '../backends/index.js'
import { adapterInfo } from '../backends/info.js'
import type { Adapter, OpenedStore } from '../backends/types.js'
import type { ExpressSessionModule, StoreProvider } from '../core/types.js'

/** Enough for a first image pull and a database's first start. */
const PROVISION_TIMEOUT_MS = 180_000

/**
 * A built-in adapter as a provider for one run: opening it provisions the backend and the
 * namespace, closing it removes both. `info` reports what produced the results.
 */
export function adapterProvider(
  adapter: Adapter,
  options: { url?: string | undefined; faults?: FaultMethod | undefined } = {},
): StoreProvider {
  let opened: OpenedStore | undefined
  let opening: Promise<OpenedStore> | undefined
  let faults: FaultableOpener | undefined
  return {
    name: adapter.name,
    capabilities: adapter.capabilities,
    // Provisioning may pull and start a container: longer than a plain factory gets.
    createTimeoutMs: PROVISION_TIMEOUT_MS,
    async create(session) {
      opening = adapter.open({ session, url: options.url })
      opened = await opening
      const server = backendOf(adapter.name)?.server
      faults = await faultableOpener(adapter, server, () => opened?.backend, options.faults)
      return opened.store
    },
    backendInstance: async (timeoutMs) => {
      const url = opened?.backend?.url
      const identify = backendOf(adapter.name)?.server?.instance
      if (url === undefined || !identify) throw new Error('no backend to identify')
      return identify(url, timeoutMs)
    },
    // Also closes a store that finished opening after the run gave up waiting for it.
    close: async () => {
      await faults?.close()
      await (opened ?? (await opening?.catch(() => undefined)))?.close()
    },
    // Getters: what the opened store offers is known once create() has opened it.
    get peer() {
      const store = opened
      // The adapter knows its session module already; a peer takes options, not the module.
      return store?.peer && (() => (store.peer as NonNullable<OpenedStore['peer']>)())
    },
    get backendExpiry() {
      return opened?.backendExpiry?.bind(opened)
    },
    get faultable() {
      const opener = faults
      return opener && opener.unavailable === undefined
        ? (session: ExpressSessionModule) => opener.open(session)
        : undefined
    },
    get faultsUnavailable() {
      return faults?.unavailable
    },
    get outsideNamespace() {
      return opened?.outsideNamespace?.bind(opened)
    },
    info: () => {
      const backend = opened?.backend
      return {
        ...adapterInfo(adapter),
        backend: adapter.backend
          ? {
              kind: adapter.backend,
              source: backend?.source,
              version: backend?.version,
              envVar: backendOf(adapter.name)?.server?.envVars[0],
            }
          : undefined,
        namespace: opened?.namespace,
      }
    },
  }
}
