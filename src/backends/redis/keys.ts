import type { createClient } from 'redis'

type RedisClient = ReturnType<typeof createClient>

/** Deletes every key under `prefix` (SCAN, then DEL in batches): how redis namespaces are removed. */
export async function deleteKeysUnder(client: RedisClient, prefix: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys)
  }
}

/** The keys under `prefix`, over a connection of its own. */
export async function keysUnder(url: string, prefix: string): Promise<string[]> {
  const { createClient } = await import('redis')
  const client = await createClient({ url }).connect()
  try {
    return await client.keys(`${prefix}*`)
  } finally {
    await client.close()
  }
}
