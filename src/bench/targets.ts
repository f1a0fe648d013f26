import { loadAdapter, openRawBaseline, openRawBaselineAt } from '../backends/index.js'
import { adapterInfo } from '../backends/info.js'
import type { Adapter, OpenedStore, RawBaseline } from '../backends/types.js'
import { BackendUnavailableError } from '../backends/unavailable.js'
import { firstLineOf } from '../core/errors.js'
import { expressSession } from '../core/express-session.js'
import { storeCalls } from '../core/store-calls.js'
import type { StoreCalls } from '../core/types.js'
import { noopCalls } from './noop-calls.js'
import type { BenchStore, BenchTarget } from './report.js'

/** What one cell measures: a store, its backend's raw client, or the no-op harness target. */
export interface Target {
  readonly name: string
  readonly target: BenchTarget
  readonly calls: StoreCalls
  /** Where the target's sessions are built (express-session's createSession on its store). */
  readonly opened: OpenedStore
}

/** A store opened for the bench, and its raw baseline once that is open. */
export interface OpenedTarget {
  readonly adapter: Adapter
  readonly store: OpenedStore
  raw: RawBaseline | undefined
}

/** The no-op target builds its sessions on MemoryStore's createSession, as express-session would. */
const harnessStore: OpenedStore = { store: new expressSession.MemoryStore(), close: async () => {} }

/** Every target measured: each store, its raw baseline where it has one, and the harness's no-op. */
export function targetsOf(opened: readonly OpenedTarget[]): Target[] {
  return [
    ...opened.flatMap(({ adapter, store, raw }) => [
      { name: adapter.name, target: 'store' as const, calls: storeCalls(store.store), opened: store },
      ...(raw ? [{ name: adapter.name, target: 'raw' as const, calls: raw, opened: store }] : []),
    ]),
    { name: 'no-op', target: 'harness', calls: noopCalls, opened: harnessStore },
  ]
}

/** Each store target with its raw baseline's target, where it has one: the two sides of its cells. */
export function storesWithRaw(targets: readonly Target[]): { store: Target; raw: Target | undefined }[] {
  return targets
    .filter((target) => target.target === 'store')
    .map((store) => ({ store, raw: targets.find((target) => target.target === 'raw' && target.name === store.name) }))
}

/**
 * Opens each store and the raw baseline of each built-in one, adding them to `opened` as they
 * open (so the caller's cleanup closes whatever did). A store whose backend is unavailable is
 * reported, not measured; a baseline that cannot open costs the ratio, not the store.
 */
export async function openStores(
  entries: readonly (string | Adapter)[],
  opened: OpenedTarget[],
  url?: string,
): Promise<BenchStore[]> {
  const stores: BenchStore[] = []
  for (const entry of entries) {
    const adapter = typeof entry === 'string' ? await loadAdapter(entry) : entry
    const { name } = adapter
    const info = { name, ...adapterInfo(adapter) }
    let store: OpenedStore
    try {
      store = await adapter.open({ session: expressSession, url })
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error
      stores.push({ ...info, unavailable: error.message })
      continue
    }
    const slot: OpenedTarget = { adapter, store, raw: undefined }
    opened.push(slot)
    let baselineError: string | undefined
    // A built-in store's own backend; a module's, where it declared one (`upstream`, as a URL).
    const raw =
      typeof entry === 'string'
        ? openRawBaseline(name, store)
        : adapter.upstream === undefined
          ? undefined
          : openRawBaselineAt(adapter.upstream)
    slot.raw = await raw?.catch((error: unknown) => {
      baselineError = firstLineOf(error)
      return undefined
    })
    const backend = store.backend
    stores.push({
      ...info,
      backend: backend && { kind: backend.kind, source: backend.source, version: backend.version },
      baseline: slot.raw?.describes,
      baselineError,
    })
  }
  return stores
}

/** Closes every raw baseline and store that opened; what fails to close is not the report's business. */
export async function closeTargets(opened: readonly OpenedTarget[]): Promise<void> {
  for (const { store, raw } of opened) {
    await raw?.close().catch(() => {})
    await store.close().catch(() => {})
  }
}
