import { ConformanceError } from '../src/errors.js'
import type { Adapter } from './_adapter.js'

/** Built-in stores, by the name the CLI accepts in place of a module path. */
export const builtinAdapters: Record<string, () => Promise<Adapter>> = {
  memory: async () => (await import('./memory.js')).memory,
  memorystore: async () => (await import('./memorystore.js')).memorystore,
  file: async () => (await import('./file.js')).file,
  redis: async () => (await import('./redis.js')).redis,
  mongo: async () => (await import('./mongo.js')).mongo,
  postgres: async () => (await import('./postgres.js')).postgres,
  mysql: async () => (await import('./mysql.js')).mysql,
  memcached: async () => (await import('./memcached.js')).memcached,
}

export const builtinAdapterNames = Object.keys(builtinAdapters)

/** Throws SC_BAD_OPTION naming every entry of `names` that is not a built-in store. */
export function assertBuiltinNames(names: readonly string[]): void {
  const unknown = names.filter((name) => !builtinAdapters[name])
  if (unknown.length > 0) {
    throw new ConformanceError('SC_BAD_OPTION', `unknown built-in store: ${unknown.join(', ')} (built-in: ${builtinAdapterNames.join(', ')})`)
  }
}

/** The built-in adapter called `name`. */
export async function loadAdapter(name: string): Promise<Adapter> {
  assertBuiltinNames([name])
  return (builtinAdapters[name] as () => Promise<Adapter>)()
}

export type { Adapter, AdapterOpenOptions, OpenedStore } from './_adapter.js'
