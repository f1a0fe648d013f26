import type { DeclaredCapabilities, ExpressSessionModule, SessionStore } from '../src/types.js'
import type { Backend, BackendKind } from './_backends/backend.js'

export interface AdapterOpenOptions {
  readonly session: ExpressSessionModule
  /** An explicit backend URL (CLI flag); otherwise the environment and provisioning decide. */
  readonly url?: string
}

/** A store opened inside a namespace of its own, ready for a run. */
export interface OpenedStore {
  readonly store: SessionStore
  readonly backend?: Backend
  /** The namespace the run writes in (key prefix, schema, table, database, directory). */
  readonly namespace?: string
  /** Removes the namespace (keys, table, directory), closes clients, stops what was started. */
  close(): Promise<void>
}

/**
 * One built-in store: which package it measures, the options it pins (and why), what it can do,
 * how it keeps to its own namespace on a shared server, and how it cleans up.
 */
export interface Adapter {
  readonly name: string
  /** The npm package under test; its installed version is reported. */
  readonly package: string
  readonly backend?: BackendKind
  /** Options that change what the store does per request, each with the reason it is pinned. */
  readonly pinned: Readonly<Record<string, string>>
  readonly capabilities: DeclaredCapabilities
  /** How the adapter stays inside its own namespace. */
  readonly isolation: string
  open(options: AdapterOpenOptions): Promise<OpenedStore>
}

export function defineAdapter(adapter: Adapter): Adapter {
  return adapter
}
