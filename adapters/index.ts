import type { StoreModuleObject } from '../src/types.js'

/** Built-in store names accepted in place of a module path. */
export const builtinAdapters: Record<string, () => Promise<StoreModuleObject>> = {
  memory: async () => (await import('./memory.js')).memory,
}

export const builtinAdapterNames = Object.keys(builtinAdapters)
