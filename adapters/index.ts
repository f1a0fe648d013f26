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

export type { Adapter, AdapterOpenOptions, OpenedStore } from './_adapter.js'
