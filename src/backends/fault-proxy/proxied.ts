import type { BackendFaultControl } from '../../core/types.js'
import { proxiedUrl, upstreamOf } from './addresses.js'
import { type FaultProxy, startFaultProxy } from './fault-proxy.js'

/** A fault proxy in front of the backend at `url`, the URL that reaches it through the proxy, and its faults. */
export interface Proxied {
  readonly proxy: FaultProxy
  /** `url` pointed at the proxy (user, password, database kept). */
  readonly url: string
  readonly faults: BackendFaultControl
}

/**
 * Puts a proxy between a store and the backend at `url`: the network-level faults, which work for
 * any backend the store reaches over TCP (a shared server, a managed one) and touch no other client.
 */
export async function proxyInFrontOf(url: string, kind: string): Promise<Proxied> {
  const proxy = await startFaultProxy({ upstream: upstreamOf(url) })
  const faults: BackendFaultControl = {
    method: `a TCP proxy in front of ${kind} (stall: bytes held; down: connections reset)`,
    downKeepsData: true,
    stall: async () => proxy.stall(),
    down: async () => proxy.down(),
    heal: async () => proxy.heal(),
  }
  return { proxy, url: proxiedUrl(url, proxy), faults }
}
