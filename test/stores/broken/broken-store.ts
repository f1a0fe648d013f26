import type {
  CreateOptions,
  DeclaredCapabilities,
  ExpressSessionModule,
  SessionStore,
} from '../../../src/core/types.js'

/** A deliberately broken store: one defect, and the checks that must catch it. */
export interface BrokenStore {
  /** Short kebab-case name, used as the test title. */
  readonly name: string
  /** The defect, in words, with the real store it imitates where there is one. */
  readonly defect: string
  /** Checks that must report this defect (status `fail`, or `warn` where that is the level). */
  readonly breaks: readonly string[]
  readonly status?: 'fail' | 'warn'
  /** Required checks that may also fail from the same defect (the app-level view of it). */
  readonly mayAlsoFail?: readonly string[]
  /** `options.connectTo`: where to connect instead of `upstream` (the fault checks' proxy). */
  readonly create: (session?: ExpressSessionModule, options?: CreateOptions) => SessionStore
  readonly capabilities?: DeclaredCapabilities
  /**
   * The groups its run is limited to. Stores on a real backend whose defect shows only when the
   * backend fails run the groups that make it fail; their base store passes the whole suite
   * (test/correct-stores.test.ts), and the full suite on a shared server would only add load.
   */
  readonly only?: readonly string[]
  /** Its per-call timeout, where the store's own (a command timeout) needs room below it. */
  readonly timeoutMs?: number
  /**
   * What it lets escape has no async context (a client's event re-thrown): it can be traced only
   * when its run is the process's only one, as in the CLI, where each store has a process of its own.
   */
  readonly alone?: boolean
  /** Lets an instance go (disconnects its client). */
  readonly close?: (store: SessionStore) => unknown
  /** The backend a store with one connects to, so the fault checks can proxy it. */
  readonly upstream?: string
  /** Names outside the store's namespace containing `marker` (see StoreModuleObject.outsideNamespace). */
  readonly outsideNamespace?: (marker: string) => Promise<readonly string[]>
}

/** Every broken store is millisecond-precise, like the reference store it derives from. */
export function brokenStore(
  entry: Omit<BrokenStore, 'create'> & { create: (session?: ExpressSessionModule, options?: CreateOptions) => object },
): BrokenStore {
  return { capabilities: { ttlGranularityMs: 0 }, ...entry, create: entry.create as BrokenStore['create'] }
}
