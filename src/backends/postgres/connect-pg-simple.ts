import { runToken } from '../../core/token.js'
import type { SessionStore } from '../../core/types.js'
import { openOnServer } from '../_open-on-server.js'
import { importPackage } from '../_packages.js'
import { defineAdapter } from '../define.js'
import { postgresServer } from './server.js'

type Pg = typeof import('pg')
type PgStoreFactory = (session: unknown) => new (options: object) => SessionStore & { close(): Promise<void> }

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
    const [{ default: pg }, { default: factory }] = await Promise.all([
      importPackage<{ default: Pg }>('pg', 'postgres'),
      importPackage<{ default: PgStoreFactory }>('connect-pg-simple', 'postgres'),
    ])
    return openOnServer(postgresServer, url, async (backend, cleanup) => {
      const pool = new pg.Pool({ connectionString: backend.url, max: 10, connectionTimeoutMillis: 5000 })
      pool.on('error', () => {})
      cleanup.add('end the pool', () => pool.end())
      const schema = `sc_${runToken()}`
      await pool.query(`CREATE SCHEMA "${schema}"`)
      cleanup.add(`drop schema ${schema}`, () => pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
      const PgStore = factory(session)
      const options = {
        pool,
        schemaName: schema,
        tableName: 'session',
        createTableIfMissing: true,
        pruneSessionInterval: false,
      }
      const store = new PgStore(options)
      cleanup.add('close the store', () => store.close())
      return { store, namespace: schema }
    })
  },
})
