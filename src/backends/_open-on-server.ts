import { Cleanup } from './_cleanup.js'
import { provisionBackend } from './provision.js'
import type { Backend, OpenedStore, ServerSpec } from './types.js'

/** What an adapter opens on its server: the store and its namespace. */
type OnServer = Omit<OpenedStore, 'backend' | 'close'>

/**
 * Finds or starts `server` and opens a store on it. `open` registers each undo step as it
 * acquires something (a client, a schema); if it throws, what was registered is undone at once,
 * and otherwise at close, in reverse, with the server stopped last.
 */
export async function openOnServer(
  server: ServerSpec,
  url: string | undefined,
  open: (backend: Backend, cleanup: Cleanup) => Promise<OnServer>,
): Promise<OpenedStore> {
  const cleanup = new Cleanup()
  return cleanup.guard(async () => {
    const backend = await provisionBackend(server, { url })
    cleanup.add(`stop the ${backend.source} ${server.kind}`, () => backend.stop())
    return { ...(await open(backend, cleanup)), backend, close: () => cleanup.run() }
  })
}
