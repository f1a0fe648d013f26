import { defineAdapter } from '../define.js'

/**
 * express-session's own MemoryStore: the reference behaviour every other store is measured
 * against (JSON on set, lazy expiry on read, callbacks deferred with setImmediate).
 */
export const memoryStore = defineAdapter({
  name: 'memory',
  package: 'express-session',
  pinned: {},
  // MemoryStore compares cookie.expires with Date.now(): millisecond resolution.
  capabilities: { ttlGranularityMs: 0 },
  isolation: 'a fresh in-process instance per run',
  // No peer: another instance would share nothing with this one.
  async open({ session }) {
    return { store: new session.MemoryStore(), close: async () => {} }
  },
})
