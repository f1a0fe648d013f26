import type { RedisClient } from './keys.js'

/** When redis will drop `key`, from its PTTL in ms: -2 (no such key) is undefined, -1 (no expiry) null. */
export async function redisExpiry(client: RedisClient, key: string): Promise<number | null | undefined> {
  const pttl = await client.pTTL(key)
  if (pttl === -2) return undefined
  return pttl === -1 ? null : Date.now() + pttl
}
