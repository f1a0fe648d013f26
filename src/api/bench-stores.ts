import type { Adapter } from '../backends/index.js'
import type { StoreProvider } from '../core/types.js'
import { loadStoreModule, looksLikePath } from './load-store.js'

/**
 * What `bench` measures, from the command line: built-in names as they are (each with its raw
 * baseline), and store modules (anything the conformance CLI accepts: .js, .cjs, .mjs, .ts)
 * loaded the same way and measured without a raw baseline, since the tool cannot know the
 * backend a module talks to.
 */
export async function benchStores(specs: readonly string[], cwd: string, url?: string): Promise<(string | Adapter)[]> {
  // A module is loaded with the URL only for loadStoreModule to refuse it: a module connects where it chooses.
  const load = async (spec: string) => moduleAdapter(await loadStoreModule(spec, cwd, url))
  return Promise.all(specs.map((spec) => (looksLikePath(spec) ? load(spec) : spec)))
}

/**
 * A user's store module as the bench opens stores. It runs in the bench's process: a bench times
 * calls, and a process boundary would add its own cost to every one.
 */
export function moduleAdapter(provider: StoreProvider): Adapter {
  return {
    name: provider.name,
    pinned: {},
    capabilities: provider.capabilities ?? {},
    isolation: "the module's own; the bench destroys every session it wrote",
    ...(provider.upstream === undefined ? {} : { upstream: provider.upstream }),
    async open({ session }) {
      const store = await provider.create(session)
      return { store, close: async () => void (await provider.close?.(store)) }
    },
  }
}
