import { withDeadline } from '../../core/deadline.js'
import type { SessionStore } from '../../core/types.js'
import type { Cleanup } from '../_cleanup.js'
import { importPackages } from '../packages.js'
import type { RedisClient } from './keys.js'

type ConnectRedis = { RedisStore: new (options: { client: unknown; prefix: string }) => SessionStore }

/** The packages a connect-redis store is made of, imported once per open. */
export interface RedisPackages {
  readonly redis: typeof import('redis')
  readonly connectRedis: ConnectRedis
}

export async function importRedisPackages(): Promise<RedisPackages> {
  const [redis, connectRedis] = await importPackages<[typeof import('redis'), ConnectRedis]>('redis', [
    { name: 'redis', range: '^5' },
    { name: 'connect-redis', range: '^9' },
  ])
  return { redis, connectRedis }
}

/**
 * A node-redis client of its own, connected, and a RedisStore on it under `prefix`: how the run's
 * store and each of its peers are made. `cleanup` learns how to disconnect the client.
 */
export async function connectRedisStore(
  { redis, connectRedis }: RedisPackages,
  url: string,
  prefix: string,
  cleanup: Cleanup,
): Promise<{ client: RedisClient; store: SessionStore }> {
  // Calls fail at once while the client is disconnected instead of waiting for the reconnection;
  // it reconnects with node-redis's own backoff, for as long as it takes, as an app's would.
  const client = redis.createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5000 } }) as RedisClient
  client.on('error', () => {})
  // Registered before connecting, so a client that fails to connect is let go too.
  cleanup.add('disconnect from redis', () => {
    if (client.isOpen) return withDeadline(client.close(), 3000, 'close timed out').catch(() => client.destroy())
  })
  await client.connect()
  return { client, store: new connectRedis.RedisStore({ client, prefix }) }
}
