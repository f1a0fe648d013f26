import { serverUrl } from '../_raw-baseline.js'
import { defineBackend } from '../define.js'
import { connectRedis } from './connect-redis.js'
import { keysUnder } from './keys.js'
import { redisNamespaces, removeRedisNamespace } from './namespaces.js'
import { redisBaseline } from './raw-baseline.js'
import { redisServer } from './server.js'

/** Redis: connect-redis on node-redis; the raw baseline is node-redis itself. */
export const redis = defineBackend({
  name: 'redis',
  server: redisServer,
  stores: [connectRedis],
  rawBaseline: (opened) => redisBaseline(serverUrl(opened)),
  leftovers: (url, prefix) => keysUnder(url, prefix),
  namespaces: redisNamespaces,
  removeNamespace: removeRedisNamespace,
})
