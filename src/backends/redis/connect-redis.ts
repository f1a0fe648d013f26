import { runToken } from '../../core/token.js'
import type { Cleanup } from '../_cleanup.js'
import { openOnServer } from '../_open-on-server.js'
import { peerOpener } from '../_peers.js'
import { defineAdapter } from '../define.js'
import { connectRedisStore, importRedisPackages } from './connect.js'
import { redisExpiry } from './expiry.js'
import { deleteKeysUnder } from './keys.js'
import { redisKeysOutside } from './outside.js'
import { redisServer } from './server.js'

/** connect-redis with the node-redis client: one key per session, EXPIRE for TTL. */
export const connectRedis = defineAdapter({
  name: 'redis',
  package: 'connect-redis',
  backend: redisServer.kind,
  pinned: {
    prefix: 'unique per run (sc-<token>:), so a shared server is safe',
    ttl: 'default 86400 s: used only for sessions without cookie.expires',
    disableTouch: 'false (the default): touch() is EXPIRE',
    client: 'node-redis with disableOfflineQueue (calls fail at once while disconnected) and its default reconnection',
  },
  // TTL = ceil((expires - now) / 1000) seconds.
  capabilities: { ttlGranularityMs: 1000 },
  isolation: 'key prefix sc-<token>: unique per run; every key under it is deleted at close',
  async open({ url }) {
    const packages = await importRedisPackages()
    return openOnServer(redisServer, url, async (backend, cleanup) => {
      const prefix = `sc-${runToken()}:`
      const connect = (steps: Cleanup, url = backend.url) => connectRedisStore(packages, url, prefix, steps)
      const { client, store } = await connect(cleanup)
      cleanup.add(`delete the keys under ${prefix}`, () => deleteKeysUnder(client, prefix))
      return {
        store,
        namespace: prefix,
        peer: peerOpener(cleanup, connect),
        // The store's key is prefix + sid (connect-redis's get/set).
        backendExpiry: (sid) => redisExpiry(client, prefix + sid),
        outsideNamespace: (marker) => redisKeysOutside(backend.url, prefix, marker),
      }
    })
  },
})
