import { existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { upstreamOf } from '../backends/fault-proxy/addresses.js'
import { proxyInFrontOf } from '../backends/fault-proxy/proxied.js'
import type { FaultMethod } from '../backends/faultable.js'
import { BACKEND_KINDS, builtinAdapterNames, loadAdapter } from '../backends/index.js'
import { withDeadline } from '../core/deadline.js'
import { ConformanceError, describeValue, firstLineOf } from '../core/errors.js'
import { redactCredentials } from '../core/redact.js'
import type {
  CreateOptions,
  ExpressSessionModule,
  SessionStore,
  StoreModuleObject,
  StoreProvider,
} from '../core/types.js'
import { adapterProvider } from './adapter-provider.js'

/** How long a module may take to load (its top-level code, compiling TypeScript on a busy machine). */
const LOAD_TIMEOUT_MS = 60_000

/** How long a factory may take to hand over a store (it may be connecting to a backend). */
const CREATE_TIMEOUT_MS = 15_000

const USABLE_EXPORTS = 'a function (session) => Store, an object { create(session) }, or a Store instance'

/**
 * Resolves a store spec (built-in name or module path) to a provider. TypeScript, ESM and
 * CommonJS modules load without a build step (jiti).
 */
export async function loadStoreModule(
  spec: string,
  cwd = process.cwd(),
  backendUrl?: string,
  faults?: FaultMethod,
): Promise<StoreProvider> {
  const builtin = builtinAdapterNames.includes(spec) && !looksLikePath(spec) ? await loadAdapter(spec) : undefined
  if (backendUrl !== undefined && !builtin?.backend) {
    const kinds = BACKEND_KINDS.join(', ')
    throw new ConformanceError(
      'SC_BAD_OPTION',
      `--url applies only to a built-in store with a backend (${kinds}), not ${spec}`,
    )
  }
  if (builtin) return adapterProvider(builtin, { url: backendUrl, faults })

  const file = resolveModulePath(spec, cwd)
  let exported: unknown
  try {
    const { createJiti } = await import('jiti')
    const jiti = createJiti(path.join(cwd, 'noop.js'), { moduleCache: false, fsCache: false })
    // A top-level await that never settles must not hold the run: the module gets a deadline.
    exported = await withDeadline(
      jiti.import(file),
      LOAD_TIMEOUT_MS,
      `it did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s`,
    )
  } catch (error) {
    const where = locationIn(error, file)
    const reason = firstLineOf(error).trim()
    throw new ConformanceError(
      'SC_MODULE_LOAD_FAILED',
      `could not load ${spec}: ${reason}${where ? ` at ${where}` : ''}`,
      {
        cause: error,
      },
    )
  }
  return toProvider(spec, unwrapDefault(exported))
}

/** Turns whatever a module exported into a provider, or says what was wrong with it. */
export function toProvider(name: string, exported: unknown): StoreProvider {
  // One instance is all there is: no peer, no instance of its own for the fault checks.
  if (looksLikeStore(exported)) return { name, create: () => exported, faultsUnavailable: ONE_INSTANCE }
  if (typeof exported === 'function') {
    // A Store subclass exported directly: construct it with no options.
    if (isStoreClass(exported)) {
      const create = () => new (exported as new () => SessionStore)()
      return { ...withPeer({ name, create }), faultsUnavailable: NO_UPSTREAM }
    }
    // A factory may carry its manifest as a property: module.exports.capabilities = {...}.
    const capabilities = (exported as { capabilities?: StoreProvider['capabilities'] }).capabilities
    const factory = exported as (s: ExpressSessionModule, options?: CreateOptions) => SessionStore
    return withFaults(exported, factory, {
      name,
      create: (session) => factory(session),
      capabilities: capabilities && typeof capabilities === 'object' ? capabilities : undefined,
    })
  }
  if (isModuleObject(exported)) {
    return withFaults(exported, (session, options) => exported.create(session, options), {
      name,
      create: (session) => exported.create(session),
      close: exported.close && ((store: SessionStore) => exported.close?.(store)),
      capabilities: exported.capabilities,
      outsideNamespace:
        typeof exported.outsideNamespace === 'function' ? exported.outsideNamespace.bind(exported) : undefined,
    })
  }
  throw new ConformanceError(
    'SC_MODULE_NO_STORE',
    `${name} exports nothing usable (got ${kindOf(exported)}); export ${USABLE_EXPORTS}`,
  )
}

const ONE_INSTANCE =
  'the module exports one store instance: export a factory or { create, upstream } to run the fault checks'
const NO_UPSTREAM =
  "the module declares no `upstream` (its backend's address), so no proxy can be put in front of it; " +
  'see "Fault checks" in the README'

type Make = (session: ExpressSessionModule, options?: CreateOptions) => SessionStore | Promise<SessionStore>

/**
 * A provider with peers and, where the module names its backend (`upstream`), instances for the
 * fault checks: each is made with `connectTo`, a TCP proxy in front of that backend, so faults
 * reach only that instance.
 */
function withFaults(exported: object, make: Make, base: StoreProvider): StoreProvider {
  const provider = withPeer(base)
  const upstream = (exported as { upstream?: unknown }).upstream
  if (upstream === undefined) return { ...provider, faultsUnavailable: NO_UPSTREAM }
  if (typeof upstream !== 'string' || !validAddress(upstream)) {
    throw new ConformanceError(
      'SC_BAD_MANIFEST',
      `upstream must be the backend's address as a URL or host:port, got ${describeValue(upstream, 60)}`,
    )
  }
  return {
    ...provider,
    upstream,
    async faultable(session) {
      const proxied = await proxyInFrontOf(upstream, `the module's backend (${redactCredentials(upstream)})`)
      const connectTo = { host: proxied.proxy.host, port: proxied.proxy.port, url: proxied.url }
      const store = await createStore({ ...base, create: (s) => make(s, { connectTo }) }, session).catch(
        async (error: unknown) => {
          await proxied.proxy.close()
          throw error
        },
      )
      const close = async () => {
        await proxied.faults.heal()
        try {
          await base.close?.(store)
        } finally {
          await proxied.proxy.close()
        }
      }
      return { store, faults: proxied.faults, close }
    },
  }
}

function validAddress(address: string): boolean {
  try {
    upstreamOf(address)
    return true
  } catch {
    return false
  }
}

/**
 * A provider that can make its store again: a peer is another store made the same way, within
 * the same deadline and with the same checks, and let go with the module's close(), if any.
 */
function withPeer(provider: StoreProvider): StoreProvider {
  return {
    ...provider,
    peer: async (session) => {
      const store = await createStore(provider, session)
      return { store, close: async () => void (await provider.close?.(store)) }
    },
  }
}

/** Calls the provider's factory with a time limit and checks that a store came back. */
export async function createStore(provider: StoreProvider, session: ExpressSessionModule): Promise<SessionStore> {
  const limitMs = provider.createTimeoutMs ?? CREATE_TIMEOUT_MS
  const timedOut = () =>
    new ConformanceError(
      'SC_STORE_CREATE_FAILED',
      `${provider.name}: the store factory did not finish within ${limitMs / 1000} s`,
    )
  let store: unknown
  try {
    store = await withDeadline(
      Promise.resolve().then(() => provider.create(session)),
      limitMs,
      timedOut,
    )
  } catch (error) {
    if (error instanceof ConformanceError) throw error
    const message = `${provider.name}: the store factory threw: ${firstLineOf(error)}`
    throw new ConformanceError('SC_STORE_CREATE_FAILED', message, { cause: error })
  }
  if (typeof store === 'function' && isStoreClass(store)) {
    throw new ConformanceError(
      'SC_STORE_CREATE_FAILED',
      `${provider.name}: the factory returned a Store class, not an instance; ` +
        `return new ${store.name || 'Store'}(options)`,
    )
  }
  if (!hasAnyStoreMethod(store)) {
    throw new ConformanceError(
      'SC_STORE_CREATE_FAILED',
      `${provider.name}: the factory returned ${kindOf(store)}, not a store with get/set/destroy`,
    )
  }
  return store as SessionStore
}

/**
 * Where in the module a load error points (file:line:column): the loader puts it on the
 * message's second line (jiti's ParseError) or in the stack (Node's SyntaxError), not the first.
 */
function locationIn(error: unknown, file: string): string | undefined {
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`${escaped}:\\d+(?::\\d+)?`).exec(text)?.[0]
}

function resolveModulePath(spec: string, cwd: string): string {
  const candidate = path.resolve(cwd, spec)
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  if (!looksLikePath(spec)) {
    try {
      return createRequire(path.join(cwd, 'noop.js')).resolve(spec)
    } catch {
      // Fall through to the error below, which names the built-ins too.
    }
  }
  throw new ConformanceError(
    'SC_MODULE_NOT_FOUND',
    `no store module at ${spec} (resolved to ${candidate}); built-in stores: ${builtinAdapterNames.join(', ')}`,
  )
}

function unwrapDefault(namespace: unknown): unknown {
  if (namespace && typeof namespace === 'object' && 'default' in namespace) {
    const value = (namespace as { default: unknown }).default
    if (value !== undefined && value !== null) return value
  }
  return namespace
}

/** Whether a store spec names a module (a path or a file name) rather than a built-in store. */
export function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || path.isAbsolute(spec) || /[\\/]/.test(spec) || path.extname(spec) !== ''
}

function looksLikeStore(value: unknown): value is SessionStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SessionStore).get === 'function' &&
    typeof (value as SessionStore).set === 'function'
  )
}

function hasAnyStoreMethod(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['get', 'set', 'destroy'].some((m) => typeof (value as Record<string, unknown>)[m] === 'function')
  )
}

function isStoreClass(value: object): boolean {
  const proto = (value as { prototype?: Record<string, unknown> }).prototype
  return Boolean(proto) && typeof proto?.get === 'function' && typeof proto?.set === 'function'
}

function isModuleObject(value: unknown): value is StoreModuleObject {
  return typeof value === 'object' && value !== null && typeof (value as StoreModuleObject).create === 'function'
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'object') {
    const keys = Object.keys(value)
    return keys.length > 0 ? `an object with ${keys.slice(0, 5).join(', ')}` : 'an empty object'
  }
  return `${typeof value} ${describeValue(value, 40)}`
}
