import type { DeclaredCapabilities, SessionStore } from '../../../src/core/types.js'

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
  readonly create: () => SessionStore
  readonly capabilities?: DeclaredCapabilities
}

/** Every broken store is millisecond-precise, like the reference store it derives from. */
export function brokenStore(entry: Omit<BrokenStore, 'create'> & { create: () => object }): BrokenStore {
  return { capabilities: { ttlGranularityMs: 0 }, ...entry, create: entry.create as () => SessionStore }
}
