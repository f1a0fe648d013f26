import type { OpenedStore } from '../../adapters/_adapter.js'
import { fileBaseline } from './file.js'
import { memcachedBaseline } from './memcached.js'
import { memoryBaseline } from './memory.js'
import { mongoBaseline } from './mongo.js'
import { mysqlBaseline } from './mysql.js'
import { postgresBaseline } from './postgres.js'
import type { RawBaseline } from './raw-baseline.js'
import { redisBaseline } from './redis.js'

export type { RawBaseline } from './raw-baseline.js'

/** How each built-in store's raw baseline opens: on the backend the store itself was given. */
const BASELINES: Record<string, (opened: OpenedStore) => Promise<RawBaseline> | RawBaseline> = {
  memory: memoryBaseline,
  memorystore: memoryBaseline,
  file: fileBaseline,
  redis: (opened) => redisBaseline(backendUrl(opened)),
  postgres: (opened) => postgresBaseline(backendUrl(opened)),
  mysql: (opened) => mysqlBaseline(backendUrl(opened)),
  memcached: (opened) => memcachedBaseline(backendUrl(opened)),
  mongo: (opened) => mongoBaseline(backendUrl(opened)),
}

/** The raw baseline for the built-in store `name`, or undefined where there is none. */
export async function openRawBaseline(name: string, opened: OpenedStore): Promise<RawBaseline | undefined> {
  return BASELINES[name]?.(opened)
}

function backendUrl(opened: OpenedStore): string {
  if (!opened.backend) throw new Error('this store has no backend to measure a raw baseline on')
  return opened.backend.url
}
