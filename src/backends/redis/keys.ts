import type { createClient } from 'redis'

export type RedisClient = ReturnType<typeof createClient>

/** Deletes every key under `prefix` (SCAN, then DEL in batches): how redis namespaces are removed. */
export async function deleteKeysUnder(client: RedisClient, prefix: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys)
  }
}

/**
 * `use` on a connection of its own, destroyed whatever happens: how the tool asks the server
 * things outside any store. No reconnects, and with `timeoutMs` a server that stops answering is
 * an error, not a hang (destroy, not close: close() would wait for it).
 */
export async function withRedis<T>(
  url: string,
  use: (client: RedisClient) => Promise<T>,
  timeoutMs?: number,
): Promise<T> {
  const { createClient } = await import('redis')
  const socket = { connectTimeout: timeoutMs, socketTimeout: timeoutMs, reconnectStrategy: false } as const
  const client = createClient({ url, disableOfflineQueue: true, socket })
  client.on('error', () => {})
  try {
    await client.connect()
    return await use(client as RedisClient)
  } finally {
    if (client.isOpen) client.destroy()
  }
}

/** The keys under `prefix`, over a connection of its own. */
export function keysUnder(url: string, prefix: string): Promise<string[]> {
  return withRedis(url, (client) => client.keys(`${prefix}*`))
}
