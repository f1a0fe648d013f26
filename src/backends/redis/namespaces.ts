import { deleteKeysUnder, withRedis } from './keys.js'

/** This tool's key prefixes on the server (`sc-…:`), found with SCAN. */
export function redisNamespaces(url: string): Promise<string[]> {
  return withRedis(url, async (client) => {
    const prefixes = new Set<string>()
    for await (const keys of client.scanIterator({ MATCH: 'sc-*', COUNT: 1000 })) {
      for (const key of keys) {
        const prefix = /^sc-[^:]*:/.exec(key)?.[0]
        if (prefix) prefixes.add(prefix)
      }
    }
    return [...prefixes].sort()
  })
}

export function removeRedisNamespace(url: string, prefix: string): Promise<void> {
  return withRedis(url, (client) => deleteKeysUnder(client, prefix))
}
