import { existsSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { OpenedStore } from '../adapters/_adapter.js'
import { BackendUnavailableError } from '../adapters/_backends/errors.js'
import { memcachedHost } from '../adapters/_backends/specs.js'
import { builtinAdapterNames, loadAdapter } from '../adapters/index.js'
import { mysqlConnectionOptions } from '../adapters/mysql.js'
import { openRawBaseline } from '../bench/raw/index.js'
import { isRequired, requiredList } from '../src/matrix/required.js'
import { expressSession } from '../src/run-conformance.js'

const required = requiredList([])

/** Whether anything is left under the baseline's namespace on the store's backend. */
const leftovers: Record<string, (opened: OpenedStore, namespace: string) => Promise<boolean>> = {
  memory: async () => false,
  memorystore: async () => false,
  file: async (_, dir) => existsSync(dir),
  redis: async ({ backend }, prefix) => {
    const { createClient } = await import('redis')
    const client = await createClient({ url: backend?.url }).connect()
    try {
      return (await client.keys(`${prefix}*`)).length > 0
    } finally {
      await client.close()
    }
  },
  postgres: async ({ backend }, schema) => {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: backend?.url })
    await client.connect()
    try {
      return (await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rowCount !== 0
    } finally {
      await client.end()
    }
  },
  mysql: async ({ backend }, table) => {
    const mysql2 = await import('mysql2/promise')
    const connection = await mysql2.createConnection(mysqlConnectionOptions(backend?.url ?? ''))
    try {
      const [rows] = await connection.query('SELECT 1 FROM information_schema.tables WHERE table_name = ?', [table])
      return (rows as unknown[]).length > 0
    } finally {
      await connection.end()
    }
  },
  memcached: async ({ backend }, prefix) => {
    const { default: Memcached } = await import('memcached')
    const client = new Memcached(memcachedHost(backend?.url ?? ''), { retries: 0 })
    try {
      const value = await new Promise((resolve, reject) => client.get(`${prefix}kept`, (error, data) => (error ? reject(error) : resolve(data))))
      return value !== undefined
    } finally {
      client.end()
    }
  },
  mongo: async ({ backend }, dbName) => {
    const { MongoClient } = await import('mongodb')
    const client = await new MongoClient(backend?.url ?? '').connect()
    try {
      const { databases } = await client.db().admin().listDatabases()
      return databases.some((database) => database.name === dbName)
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
      expect(await leftovers[name]?.(opened, raw.namespace), `${raw.namespace} was left behind`).toBe(false)
    } finally {
      await opened.close()
    }
  })
})
