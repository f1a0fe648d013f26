import { deleteKeysUnder } from './keys.js'

/** This tool's key prefixes on the server (`sc-…:`), found with SCAN. */
export async function redisNamespaces(url: string): Promise<string[]> {
  const { createClient } = await import('redis')
  const client = await createClient({ url }).connect()
  try {
    const prefixes = new Set<string>()
    for await (const keys of client.scanIterator({ MATCH: 'sc-*', COUNT: 1000 })) {
      for (const key of keys) {
        const prefix = /^sc-[^:]*:/.exec(key)?.[0]
        if (prefix) prefixes.add(prefix)
      }
    }
    return [...prefixes].sort()
  } finally {
    await client.close()
  }
}

export async function removeRedisNamespace(url: string, prefix: string): Promise<void> {
  const { createClient } = await import('redis')
  const client = await createClient({ url }).connect()
  try {
    await deleteKeysUnder(client, prefix)
  } finally {
    await client.close()
  }
}
