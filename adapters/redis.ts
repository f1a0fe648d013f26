import type { SessionStore } from '../src/types.js'
import { defineAdapter } from './_adapter.js'
import { Cleanup, withDeadline } from './_cleanup.js'
import { provisionBackend } from './_backends/provision.js'
import { redisSpec } from './_backends/specs.js'
import { importPackage, runToken } from './_packages.js'

type RedisModule = typeof import('redis')
type ConnectRedis = { RedisStore: new (options: { client: unknown; prefix: string }) => SessionStore }

/** connect-redis with the node-redis client: one key per session, EXPIRE for TTL. */
export const redis = defineAdapter({
  name: 'redis',
  package: 'connect-redis',
  backend: 'redis',
  pinned: {
    prefix: 'unique per run (sc-<token>:), so a shared server is safe',
    ttl: 'default 86400 s: used only for sessions without cookie.expires',
    disableTouch: 'false (the default): touch() is EXPIRE',
  },
  // TTL = ceil((expires - now) / 1000) seconds.
  capabilities: { ttlGranularityMs: 1000 },
  isolation: 'key prefix sc-<token>: unique per run; every key under it is deleted at close',
  async open({ url }) {
    const [{ createClient }, { RedisStore }] = await Promise.all([
      importPackage<RedisModule>('redis', 'redis'),
      importPackage<ConnectRedis>('connect-redis', 'redis'),
    ])
    const cleanup = new Cleanup()
    return cleanup.guard(async () => {
      const backend = await provisionBackend(redisSpec, url === undefined ? {} : { url })
      cleanup.add(`stop the ${backend.source} redis`, () => backend.stop())
      // Fail fast instead of queueing forever if the server goes away mid-run.
      const client = createClient({
        url: backend.url,
        disableOfflineQueue: true,
        socket: { connectTimeout: 5000, reconnectStrategy: (retries) => (retries > 3 ? new Error('redis went away') : 200) },
      })
      client.on('error', () => {})
      await client.connect()
      cleanup.add('disconnect from redis', () => withDeadline(client.close(), 3000, 'close timed out').catch(() => client.destroy()))
      const prefix = `sc-${runToken()}:`
      cleanup.add(`delete the keys under ${prefix}`, () => deleteKeysUnder(client, prefix))
      return { store: new RedisStore({ client, prefix }), backend, namespace: `redis key prefix ${prefix}`, close: () => cleanup.run() }
    })
  },
})

/** Deletes every key under `prefix` (SCAN, then DEL in batches): how redis namespaces are removed. */
export async function deleteKeysUnder(client: ReturnType<RedisModule['createClient']>, prefix: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys)
  }
}
