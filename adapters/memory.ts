import { defineAdapter } from './_adapter.js'

/**
 * express-session's own MemoryStore: the reference behaviour every other store is measured
 * against (JSON on set, lazy expiry on read, callbacks deferred with setImmediate).
 */
export const memory = defineAdapter({
  name: 'memory',
  package: 'express-session',
  pinned: {},
  // MemoryStore compares cookie.expires with Date.now(): millisecond resolution.
  capabilities: { ttlGranularityMs: 0 },
  isolation: 'a fresh in-process instance per run',
  async open({ session }) {
    const store = new session.MemoryStore()
    return { store: store as never, close: async () => {} }
  },
})
