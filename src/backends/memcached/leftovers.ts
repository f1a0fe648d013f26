import { promised } from './promised.js'
import { memcachedHost } from './server.js'

/** Which of `keys` under `prefix` are still on the server: memcached cannot list its keys. */
export async function keysLeft(url: string, prefix: string, keys: readonly string[] = []): Promise<string[]> {
  const { default: Memcached } = await import('memcached')
  const client = new Memcached(memcachedHost(url), { retries: 0 })
  try {
    const found = await Promise.all(keys.map((key) => promised((callback) => client.get(prefix + key, callback))))
    return keys.filter((_, index) => found[index] !== undefined)
  } finally {
    client.end()
  }
}
