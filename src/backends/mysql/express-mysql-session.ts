import { runToken } from '../../core/token.js'
import type { SessionStore } from '../../core/types.js'
import { openOnServer } from '../_open-on-server.js'
import { importPackage } from '../_packages.js'
import { defineAdapter } from '../define.js'
import { mysqlConnectionOptions } from './connection.js'
import { mysqlServer } from './server.js'

type MySqlStore = SessionStore & { onReady(): Promise<void>; close(): Promise<void> }
type MySqlStoreFactory = (session: unknown) => new (options: object) => MySqlStore
type MySql2 = typeof import('mysql2/promise')

/** express-mysql-session with mysql2: one row per session, expiry as INT seconds. */
export const expressMysqlSession = defineAdapter({
  name: 'mysql',
  package: 'express-mysql-session',
  backend: mysqlServer.kind,
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
    return openOnServer(mysqlServer, url, async (backend, cleanup) => {
      const connection = mysqlConnectionOptions(backend.url)
      const tableName = `sc_sessions_${runToken()}`
      // The table is dropped over a connection of our own, built from the same options as the store's.
      cleanup.add(`drop table ${connection.database}.${tableName}`, async () => {
        const admin = await mysql2.createConnection(connection)
        try {
          await admin.query(`DROP TABLE IF EXISTS \`${tableName}\``)
        } finally {
          await admin.end()
        }
      })
      const MySQLStore = factory(session)
      const store = new MySQLStore({
        ...connection,
        createDatabaseTable: true,
        clearExpired: false,
        schema: { tableName },
      })
      cleanup.add('close the store', () => store.close())
      await store.onReady()
      return { store, namespace: tableName }
    })
  },
})
