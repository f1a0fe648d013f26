import { existsSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { OpenedStore } from '../adapters/_adapter.js'
import { BackendUnavailableError } from '../adapters/_backends/errors.js'
import { memcachedHost } from '../adapters/_backends/specs.js'
import { builtinAdapterNames, loadAdapter } from '../adapters/index.js'
import { openRawBaseline, type RawBaseline } from '../bench/raw/index.js'
import { isRequired, requiredList } from '../src/matrix/required.js'
import { expressSession } from '../src/run-conformance.js'
import { mysqlTableExists, postgresSchemaExists, redisKeysUnder } from './helpers/leftovers.js'

const required = requiredList([])

/** Whether anything the baseline wrote is left after its close(), on the store's backend. */
const leftovers: Record<string, (url: string, raw: RawBaseline) => Promise<boolean>> = {
  // The Map is the namespace: nothing outside it to ask, so ask the closed baseline itself.
  memory: async (_, raw) => (await raw.get('kept')) !== undefined,
  memorystore: async (_, raw) => (await raw.get('kept')) !== undefined,
  file: async (_, raw) => existsSync(raw.namespace),
  redis: async (url, raw) => (await redisKeysUnder(url, raw.namespace)).length > 0,
  postgres: (url, raw) => postgresSchemaExists(url, raw.namespace),
  mysql: (url, raw) => mysqlTableExists(url, raw.namespace),
  memcached: async (url, raw) => {
    const { default: Memcached } = await import('memcached')
    const client = new Memcached(memcachedHost(url), { retries: 0 })
    try {
      const value = await new Promise((resolve, reject) => client.get(`${raw.namespace}kept`, (error, data) => (error ? reject(error) : resolve(data))))
      return value !== undefined
    } finally {
      client.end()
    }
  },
  mongo: async (url, raw) => {
    const { MongoClient } = await import('mongodb')
    const client = await new MongoClient(url).connect()
    try {
      const { databases } = await client.db().admin().listDatabases()
      return databases.some((database) => database.name === raw.namespace)
    } finally {
      await client.close()
    }
  },
}

describe.concurrent('each raw baseline does the plain operations on the store’s own backend, and removes what it wrote', () => {
  test.for(builtinAdapterNames)('%s', async (name, context) => {
    const adapter = await loadAdapter(name)
    let opened: OpenedStore
    try {
      opened = await adapter.open({ session: expressSession })
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error
      expect(isRequired(required, name, adapter.backend), `${name} is required here: ${error.message}`).toBe(false)
      return context.skip(error.message)
    }
    try {
      const raw = await openRawBaseline(name, opened)
      if (!raw) throw new Error(`${name} has no raw baseline`)
      const closed = { done: false }
      context.onTestFinished(() => (closed.done ? undefined : raw.close()))
      const session = { cookie: { originalMaxAge: 3_600_000, expires: new Date(Date.now() + 3_600_000).toISOString() }, user: 'ada', cart: ['ü', '😀'] }
      expect(await raw.get('missing')).toBeUndefined()
      await raw.set('one', session)
      expect(await raw.get('one')).toEqual(session)
      await raw.touch('one', session)
      expect(await raw.get('one')).toEqual(session)
      await raw.set('one', { ...session, user: 'grace' })
      expect(await raw.get('one')).toMatchObject({ user: 'grace' })
      await raw.destroy('one')
      expect(await raw.get('one')).toBeUndefined()
      // 64 in flight on one id, as the bench's mixes do: a read never sees half a write.
      const large = { ...session, cart: Array.from({ length: 2000 }, (_, i) => `item ${i}`) }
      await raw.set('busy', large)
      for (let round = 0; round < 10; round++) {
        const reads = await Promise.all(Array.from({ length: 64 }, (_, i) => (i % 2 ? raw.set('busy', large) : raw.get('busy'))))
        for (const read of reads.filter((_, i) => i % 2 === 0)) expect(read).toEqual(large)
      }
      await raw.destroy('busy')
      await raw.set('kept', session)
      closed.done = true
      await raw.close()
      expect(await leftovers[name]?.(opened.backend?.url ?? '', raw), `${raw.namespace} was left behind`).toBe(false)
    } finally {
      await opened.close()
    }
  })
})
