import { fromJson, RAW_TTL_SECONDS } from '../_raw-baseline.js'
import type { RawBaseline } from '../types.js'

interface Entry {
  text: string
  expiresAt: number
}

/**
 * JSON text and its expiry in a Map, deferred to the next turn like MemoryStore's callbacks: the
 * least an in-process store must do. Its touch moves the expiry without rewriting the session, so
 * a store whose touch re-serialises shows it in its ratio.
 */
export function memoryBaseline(): RawBaseline {
  const map = new Map<string, Entry>()
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
  const expiresAt = () => Date.now() + RAW_TTL_SECONDS * 1000
  return {
    describes: 'JSON text with an expiry in a Map; touch moves the expiry',
    namespace: 'a Map of its own',
    get: async (sid) => {
      await tick()
      const entry = map.get(sid)
      return entry && entry.expiresAt > Date.now() ? fromJson(entry.text) : undefined
    },
    set: async (sid, session) => {
      await tick()
      map.set(sid, { text: JSON.stringify(session), expiresAt: expiresAt() })
    },
    touch: async (sid) => {
      await tick()
      const entry = map.get(sid)
      if (entry) entry.expiresAt = expiresAt()
    },
    destroy: async (sid) => {
      await tick()
      map.delete(sid)
    },
    close: async () => map.clear(),
  }
}
