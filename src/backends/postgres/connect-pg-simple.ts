import { runToken } from '../../core/token.js'
import type { Cleanup } from '../_cleanup.js'
import { openOnServer } from '../_open-on-server.js'
import { peerOpener } from '../_peers.js'
import { defineAdapter } from '../define.js'
import { connectPgStore, importPgPackages, PG_TABLE } from './connect.js'
import { pgExpiry } from './expiry.js'
import { postgresNamesOutside } from './outside.js'
import { postgresServer } from './server.js'

/** connect-pg-simple with node-postgres: one row per session, expiry in whole seconds. */
export const connectPgSimple = defineAdapter({
  name: 'postgres',
  package: 'connect-pg-simple',
  backend: postgresServer.kind,
  pinned: {
    schemaName: 'unique per run (sc_<token>), so the table and its index names cannot collide on a shared database',
    createTableIfMissing: 'true: the store creates its table from its own table.sql',
    pruneSessionInterval: 'false: no background DELETE timer during the run; expiry is filtered on read',
  },
  // expire = ceil(cookie.expires / 1000), compared with the Node clock.
  capabilities: { ttlGranularityMs: 1000 },
  isolation: 'a schema sc_<token> unique per run, dropped (CASCADE) at close',
  async open({ session, url }) {
    const packages = await importPgPackages(session)
    return openOnServer(postgresServer, url, async (backend, cleanup) => {
      const schema = `sc_${runToken()}`
      const connect = (steps: Cleanup, url = backend.url) => connectPgStore(packages, url, schema, steps)
      const { pool, store } = await connect(cleanup)
      await pool.query(`CREATE SCHEMA "${schema}"`)
      cleanup.add(`drop schema ${schema}`, () => pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
      // The store creates its table on its first query. Made now, so a peer's first query cannot
      // race this store's: the loser fails (duplicate pg_type row) and, caching that, every query after.
      await new Promise<void>((resolve, reject) =>
        store.get('sc-warm-up', (error) => (error ? reject(error as Error) : resolve())),
      )
      return {
        store,
        namespace: schema,
        peer: peerOpener(cleanup, connect),
        backendExpiry: (sid) => pgExpiry(pool, `"${schema}"."${PG_TABLE}"`, sid),
        outsideNamespace: (marker) => postgresNamesOutside(backend.url, schema, marker),
      }
    })
  },
})
