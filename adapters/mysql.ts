import type { SessionStore } from '../src/types.js'
import { defineAdapter } from './_adapter.js'
import { provisionBackend } from './_backends/provision.js'
import { mysqlSpec } from './_backends/specs.js'
import { importPackage, runToken } from './_packages.js'

type MySqlStore = SessionStore & { onReady(): Promise<void>; close(): Promise<void> }
type MySqlStoreFactory = (session: unknown) => new (options: object) => MySqlStore
type MySql2 = typeof import('mysql2/promise')

/** express-mysql-session with mysql2: one row per session, expiry as INT seconds. */
export const mysql = defineAdapter({
  name: 'mysql',
  package: 'express-mysql-session',
  backend: 'mysql',
  pinned: {
    'schema.tableName': 'unique per run (sc_sessions_<token>), so a shared database is safe',
    createDatabaseTable: 'true: the store creates its own table',
    clearExpired: 'false: no background DELETE timer during the run; expiry is filtered on read',
  },
  // expires = Math.round(cookie.expires / 1000) in an INT column.
  capabilities: { ttlGranularityMs: 1000 },
  isolation: 'a table sc_sessions_<token> unique per run, dropped at close',
  async open({ session, url }) {
    const [mysql2, { default: factory }] = await Promise.all([
      importPackage<MySql2>('mysql2/promise', 'mysql'),
      importPackage<{ default: MySqlStoreFactory }>('express-mysql-session', 'mysql'),
    ])
    const backend = await provisionBackend(mysqlSpec, url === undefined ? {} : { url })
    const target = new URL(backend.url)
    const tableName = `sc_sessions_${runToken()}`
    const MySQLStore = factory(session)
    const store = new MySQLStore({
      host: target.hostname,
      port: Number(target.port || 3306),
      user: decodeURIComponent(target.username || 'root'),
      password: decodeURIComponent(target.password),
      database: target.pathname.slice(1) || 'test',
      createDatabaseTable: true,
      clearExpired: false,
      schema: { tableName },
    })
    await store.onReady()
    return {
      store,
      backend,
      async close() {
        await store.close()
        const connection = await mysql2.createConnection({ uri: backend.url })
        await connection.query(`DROP TABLE IF EXISTS \`${tableName}\``)
        await connection.end()
        await backend.stop()
      },
    }
  },
})
