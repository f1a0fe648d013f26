import { fromJson, type RawBaseline } from './raw-baseline.js'

/** JSON into and out of a Map, deferred to the next turn like MemoryStore's callbacks. */
export function memoryBaseline(): RawBaseline {
  const map = new Map<string, string>()
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
  return {
    describes: 'JSON.stringify/parse into a Map',
    namespace: 'a Map of its own',
    get: async (sid) => (await tick(), fromJson(map.get(sid))),
    set: async (sid, session) => void (await tick(), map.set(sid, JSON.stringify(session))),
    touch: async (sid) => void (await tick(), map.has(sid)),
    destroy: async (sid) => void (await tick(), map.delete(sid)),
    close: async () => map.clear(),
  }
}
