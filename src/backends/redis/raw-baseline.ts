import { runToken } from '../../core/token.js'
import { fromJson, RAW_TTL_SECONDS } from '../_raw-baseline.js'
import type { RawBaseline } from '../types.js'
import { deleteKeysUnder } from './keys.js'

/** node-redis GET / SET EX / EXPIRE / DEL on the store's server, under a key prefix of its own. */
export async function redisBaseline(url: string): Promise<RawBaseline> {
  const { createClient } = await import('redis')
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5000 } })
  client.on('error', () => {})
  await client.connect()
  const prefix = `sc-raw-${runToken()}:`
  return {
    describes: 'node-redis GET, SET EX, EXPIRE, DEL',
    namespace: prefix,
    get: async (sid) => fromJson(await client.get(prefix + sid)),
    set: async (sid, session) =>
      void (await client.set(prefix + sid, JSON.stringify(session), { EX: RAW_TTL_SECONDS })),
    touch: async (sid) => void (await client.expire(prefix + sid, RAW_TTL_SECONDS)),
    destroy: async (sid) => void (await client.del(prefix + sid)),
    close: async () => {
      try {
        await deleteKeysUnder(client, prefix)
      } finally {
        await client.close()
      }
    },
  }
}
