import type { PeerStore, SessionStore } from '../core/types.js'
import { Cleanup } from './_cleanup.js'
import type { PeerOptions } from './types.js'

/**
 * Builds a client and a store on it, registering on `cleanup` how to let them go (disconnect
 * only: the namespace is the primary's to remove). An adapter opens its store and its peers
 * with the same one, so a peer is configured exactly as the run's store is.
 */
export type Connect = (cleanup: Cleanup, url?: string) => Promise<{ readonly store: SessionStore }>

/**
 * How an adapter opens peers: each on a cleanup of its own (its close), which the primary's
 * cleanup also runs, so a peer never closed is disconnected with the primary. A cleanup runs its
 * steps once, so closing a peer twice, or before the primary, disconnects it once.
 */
export function peerOpener(primary: Cleanup, connect: Connect): (options?: PeerOptions) => Promise<PeerStore> {
  return async (options) => {
    const own = new Cleanup()
    const { store } = await own.guard(() => connect(own, options?.url))
    primary.add('disconnect a peer', () => own.run())
    return { store, close: () => own.run() }
  }
}
