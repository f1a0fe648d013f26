import type { Adapter, BackendModule } from './types.js'

/** Identity helpers that give a backend folder's literals their types. */
export function defineAdapter(adapter: Adapter): Adapter {
  return adapter
}

export function defineBackend(backend: BackendModule): BackendModule {
  return backend
}
