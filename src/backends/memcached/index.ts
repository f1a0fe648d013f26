import { serverUrl } from '../_raw-baseline.js'
import { defineBackend } from '../define.js'
import { connectMemcached } from './connect-memcached.js'
import { keysLeft } from './leftovers.js'
import { memcachedBaseline } from './raw-baseline.js'
import { memcachedServer } from './server.js'

/** Memcached: connect-memcached; the raw baseline is the `memcached` client it is built on. */
export const memcached = defineBackend({
  name: 'memcached',
  server: memcachedServer,
  stores: [connectMemcached],
  rawBaseline: (opened) => memcachedBaseline(serverUrl(opened)),
  leftovers: keysLeft,
})
