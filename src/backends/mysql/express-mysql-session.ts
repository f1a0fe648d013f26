import { runToken } from '../../core/token.js'
import type { Cleanup } from '../_cleanup.js'
import { openOnServer } from '../_open-on-server.js'
import { peerOpener } from '../_peers.js'
import { defineAdapter } from '../define.js'
import { connectMysqlStore, importMysqlPackages } from './connect.js'
import { mysqlConnectionOptions } from './connection.js'
import { mysqlExpiry } from './expiry.js'
import { mysqlNamesOutside } from './outside.js'
import { mysqlServer } from './server.js'

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
    const packages = await importMysqlPackages(session)
    return openOnServer(mysqlServer, url, async (backend, cleanup) => {
      const connection = mysqlConnectionOptions(backend.url)
      const tableName = `sc_sessions_${runToken()}`
      // The table is dropped over a connection of our own, built from the same options as the store's.
      cleanup.add(`drop table ${connection.database}.${tableName}`, async () => {
        const admin = await packages.mysql2.createConnection(connection)
        try {
          await admin.query(`DROP TABLE IF EXISTS \`${tableName}\``)
        } finally {
          await admin.end()
        }
      })
      const connect = (steps: Cleanup, url = backend.url) => connectMysqlStore(packages, url, tableName, steps)
      const { store } = await connect(cleanup)
      return {
        store,
        namespace: tableName,
        peer: peerOpener(cleanup, connect),
        backendExpiry: (sid) => mysqlExpiry(backend.url, tableName, sid),
        outsideNamespace: (marker) => mysqlNamesOutside(backend.url, tableName, marker),
      }
    })
  },
})
