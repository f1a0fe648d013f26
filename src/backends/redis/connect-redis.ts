import { withDeadline } from '../../core/deadline.js'
import { runToken } from '../../core/token.js'
import type { SessionStore } from '../../core/types.js'
import { openOnServer } from '../_open-on-server.js'
import { importPackage } from '../_packages.js'
import { defineAdapter } from '../define.js'
import { deleteKeysUnder } from './keys.js'
import { redisServer } from './server.js'

type RedisModule = typeof import('redis')
type ConnectRedis = { RedisStore: new (options: { client: unknown; prefix: string }) => SessionStore }

/** connect-redis with the node-redis client: one key per session, EXPIRE for TTL. */
export const connectRedis = defineAdapter({
  name: 'redis',
  package: 'connect-redis',
  backend: redisServer.kind,
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
    return openOnServer(redisServer, url, async (backend, cleanup) => {
      // Fail fast instead of queueing forever if the server goes away mid-run.
      const client = createClient({
        url: backend.url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: 5000,
          reconnectStrategy: (retries) => (retries > 3 ? new Error('redis went away') : 200),
        },
      })
      client.on('error', () => {})
      await client.connect()
      const disconnect = () => withDeadline(client.close(), 3000, 'close timed out').catch(() => client.destroy())
      cleanup.add('disconnect from redis', disconnect)
      const prefix = `sc-${runToken()}:`
      cleanup.add(`delete the keys under ${prefix}`, () => deleteKeysUnder(client, prefix))
      return { store: new RedisStore({ client, prefix }), namespace: prefix }
    })
  },
})
