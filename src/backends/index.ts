import { ConformanceError } from '../core/errors.js'
import { file } from './file/index.js'
import { memcached } from './memcached/index.js'
import { memory } from './memory/index.js'
import { mongo } from './mongo/index.js'
import { mysql } from './mysql/index.js'
import { postgres } from './postgres/index.js'
import { redis } from './redis/index.js'
import type { Adapter, BackendModule, OpenedStore, RawBaseline } from './types.js'

/**
 * The registry: one folder per backend, in the order reports list their stores. A new backend is
 * a folder and a line here; a new store on an existing backend is a file and a line in its folder.
 */
export const backends: readonly BackendModule[] = [memory, file, redis, mongo, postgres, mysql, memcached]

/** Each built-in store by name, with the backend folder it belongs to. */
const byName = new Map(
  backends.flatMap((backend) => backend.stores.map((adapter) => [adapter.name, { adapter, backend }])),
)

export const builtinAdapterNames = [...byName.keys()]

/** Built-in stores, by the name the CLI accepts in place of a module path. */
export const builtinAdapters: Record<string, () => Promise<Adapter>> = Object.fromEntries(
  [...byName].map(([name, { adapter }]) => [name, async () => adapter]),
)

/** Backends that are servers: what --require and --url name. */
export const BACKEND_KINDS = backends.filter((backend) => backend.server).map((backend) => backend.name)

/** Throws SC_BAD_OPTION naming every entry of `names` that is not a built-in store. */
export function assertBuiltinNames(names: readonly string[]): void {
  const unknown = names.filter((name) => !byName.has(name))
  if (unknown.length > 0) {
    const known = builtinAdapterNames.join(', ')
    throw new ConformanceError('SC_BAD_OPTION', `unknown built-in store: ${unknown.join(', ')} (built-in: ${known})`)
  }
}

/** The built-in adapter called `name`. */
export async function loadAdapter(name: string): Promise<Adapter> {
  const entry = byName.get(name)
  if (!entry) assertBuiltinNames([name])
  return (entry as { adapter: Adapter }).adapter
}

/** The backend folder a built-in store belongs to. */
export function backendOf(storeName: string): BackendModule | undefined {
  return byName.get(storeName)?.backend
}

/** The raw baseline for the built-in store `name`, opened where the store was, or undefined where there is none. */
export async function openRawBaseline(name: string, opened: OpenedStore): Promise<RawBaseline | undefined> {
  return backendOf(name)?.rawBaseline?.(opened)
}

/** The backend kind a URL's scheme names, for the schemes the built-in backends take. */
const SCHEMES: Readonly<Record<string, string>> = {
  'redis:': 'redis',
  'rediss:': 'redis',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mongodb:': 'mongo',
  'mongodb+srv:': 'mongo',
}

/**
 * The raw baseline of the server at `url` (a store module's declared `upstream`), its kind told
 * by the URL's scheme; undefined for any other address. The server backends' baselines read
 * only their server's URL from the store they are opened beside, so one is given just that.
 */
export async function openRawBaselineAt(url: string): Promise<RawBaseline | undefined> {
  let scheme: string
  try {
    scheme = new URL(url).protocol
  } catch {
    return undefined
  }
  const backend = backends.find((entry) => entry.name === SCHEMES[scheme])
  if (!backend?.rawBaseline) return undefined
  const beside = { backend: { kind: backend.name, url } } as unknown as OpenedStore
  return backend.rawBaseline(beside)
}

export type { Adapter, AdapterOpenOptions, BackendModule, OpenedStore, RawBaseline } from './types.js'
