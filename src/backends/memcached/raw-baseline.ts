import { runToken } from '../../core/token.js'
import { fromJson, RAW_TTL_SECONDS } from '../_raw-baseline.js'
import type { RawBaseline } from '../types.js'
import { promised as call } from './promised.js'
import { memcachedHost } from './server.js'

/**
 * The `memcached` client connect-memcached is built on: GET, SET, TOUCH, DELETE under a key
 * prefix of its own. Memcached cannot list keys, so close() deletes each key it wrote.
 */
export async function memcachedBaseline(url: string): Promise<RawBaseline> {
  const { default: Memcached } = await import('memcached')
  // The client's defaults, as connect-memcached (given only hosts and a prefix) runs it.
  const client = new Memcached(memcachedHost(url))
  const prefix = `sc-raw-${runToken()}:`
  const written = new Set<string>()
  const del = (sid: string) =>
    call((callback) => client.del(prefix + sid, callback)).then(() => void written.delete(sid))
  return {
    describes: 'memcached client GET, SET, TOUCH, DELETE',
    namespace: prefix,
    get: async (sid) => fromJson(await call<string | undefined>((callback) => client.get(prefix + sid, callback))),
    set: async (sid, session) => {
      written.add(sid)
      await call((callback) => client.set(prefix + sid, JSON.stringify(session), RAW_TTL_SECONDS, callback))
    },
    touch: async (sid) =>
      void (await call((callback) =>
        client.touch(prefix + sid, RAW_TTL_SECONDS, (error) => callback(error, undefined)),
      )),
    destroy: del,
    close: async () => {
      try {
        await Promise.all([...written].map(del))
      } finally {
        client.end()
      }
    },
  }
}
