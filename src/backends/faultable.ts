import type { BackendFaultControl, ExpressSessionModule, FaultableStore, PeerStore } from '../core/types.js'
import { onPath } from './_local-server.js'
import { signalledFaults } from './_signalled-faults.js'
import { proxyInFrontOf } from './fault-proxy/proxied.js'
import { provisionBackend } from './provision.js'
import type { Adapter, Backend, OpenedStore, ServerSpec } from './types.js'

/**
 * How the fault checks make a backend fail: `process` signals a server the tool starts for them
 * (needs the server binary on PATH); `proxy` puts a TCP proxy in front of the run's own backend.
 */
export type FaultMethod = 'process' | 'proxy'

/** Fault-check instances of one built-in store, for one run. */
export interface FaultableOpener {
  /** Why there can be none (an in-process store, no binary for `process`); undefined when there can. */
  readonly unavailable: string | undefined
  open(session: ExpressSessionModule): Promise<FaultableStore>
  /** Stops the server started for the fault checks, if one was. */
  close(): Promise<void>
}

/**
 * Opens the adapter again, on a backend the checks can fail: a fresh namespace, a client of its
 * own, so the run's store and every other client of a shared server are never touched. With
 * `process`, one private server serves the run's fault checks (they run one at a time).
 */
export async function faultableOpener(
  adapter: Adapter,
  spec: ServerSpec | undefined,
  runBackend: () => Backend | undefined,
  method?: FaultMethod,
): Promise<FaultableOpener> {
  if (!spec) return unavailable('an in-process store has no backend the tool can stop or cut off')
  const canSignal = spec.binary !== undefined && (await onPath(spec.binary.command))
  const chosen = method ?? (canSignal ? 'process' : 'proxy')
  if (chosen === 'process' && !canSignal) {
    const binary = spec.binary?.command
    return unavailable(binary ? `--faults process needs ${binary} on PATH` : `${spec.kind} has no server binary`)
  }
  let server: Promise<Backend> | undefined
  return {
    unavailable: undefined,
    async open(session) {
      if (chosen === 'process') {
        // No URL and no environment: provisioning starts the binary (env URLs and containers are not signalled).
        server ??= provisionBackend(spec, { env: {}, containers: false })
        const backend = await server
        const control = backend.control
        if (!control) throw new Error(`the ${spec.kind} server started for the fault checks cannot be signalled`)
        const faults = signalledFaults(spec.kind, control)
        return faultedPeer(await adapter.open({ session, url: backend.url }), faults, undefined, async () => {})
      }
      const target = runBackend()
      if (!target) throw new Error('the run has no backend to put a proxy in front of')
      // The namespace is made and removed over a direct connection the faults never touch.
      const opened = await adapter.open({ session, url: target.url })
      const proxied = await proxyInFrontOf(target.url, spec.kind).catch(async (error: unknown) => {
        await opened.close()
        throw error
      })
      return faultedPeer(opened, proxied.faults, proxied.url, () => proxied.proxy.close())
    },
    async close() {
      const started = await server?.catch(() => undefined)
      await started?.stop()
    },
  }
}

/**
 * The store the checks fail is a peer of a freshly opened adapter (its own client, through `url`
 * where given): closing heals the backend, lets the peer go, then removes the namespace. On a
 * server started for the faults, what a client that lived through a SIGKILL cannot remove goes
 * with the server (it is stopped, its directory removed, when the run ends).
 */
async function faultedPeer(
  opened: OpenedStore,
  faults: BackendFaultControl,
  url: string | undefined,
  release: () => Promise<void>,
): Promise<FaultableStore> {
  const peer = await openPeer(opened, url).catch(async (error: unknown) => {
    await Promise.allSettled([opened.close(), release()])
    throw error
  })
  return {
    store: peer.store,
    faults,
    close: async () => {
      await faults.heal().catch(() => {})
      await peer.close().catch(() => {})
      await release()
      const closing = opened.close()
      await (url === undefined ? closing.catch(() => {}) : closing)
    },
  }
}

function openPeer(opened: OpenedStore, url: string | undefined): Promise<PeerStore> {
  if (!opened.peer) throw new Error('this adapter cannot open a second instance for the fault checks')
  return opened.peer({ url })
}

function unavailable(reason: string): FaultableOpener {
  return {
    unavailable: reason,
    open: () => Promise.reject(new Error(reason)),
    close: async () => {},
  }
}
