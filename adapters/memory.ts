import type { StoreModuleObject } from '../src/types.js'

/**
 * express-session's own MemoryStore: the reference behaviour every other store is measured
 * against (JSON on set, lazy expiry on read, callbacks deferred with setImmediate).
 */
export const memory: StoreModuleObject = {
  create: (session) => new session.MemoryStore() as never,
  // MemoryStore compares cookie.expires with Date.now(): millisecond resolution.
  capabilities: { ttlGranularityMs: 0 },
}

export default memory
