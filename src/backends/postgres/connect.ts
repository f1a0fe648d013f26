import type { Pool } from 'pg'
import type { SessionStore } from '../../core/types.js'
import type { Cleanup } from '../_cleanup.js'
import { importPackages } from '../packages.js'

type PgStoreClass = new (options: object) => SessionStore & { close(): Promise<void> }

/** The table connect-pg-simple is given in the run's schema. */
export const PG_TABLE = 'session'

/** node-postgres and connect-pg-simple's store class for `session`, imported once per open. */
export interface PgPackages {
  readonly pg: typeof import('pg')
  readonly PgStore: PgStoreClass
}

export async function importPgPackages(session: unknown): Promise<PgPackages> {
  const [{ default: pg }, { default: factory }] = await importPackages<
    [{ default: typeof import('pg') }, { default: (session: unknown) => PgStoreClass }]
  >('postgres', [
    { name: 'pg', range: '^8' },
    { name: 'connect-pg-simple', range: '^10' },
  ])
  return { pg, PgStore: factory(session) }
}

/**
 * A pool of its own and a PGStore on it in `schema`: how the run's store and each of its peers
 * are made. `cleanup` learns how to close the store and end the pool (the store does not end a
 * pool it was given).
 */
export async function connectPgStore(
  { pg, PgStore }: PgPackages,
  url: string,
  schema: string,
  cleanup: Cleanup,
): Promise<{ pool: Pool; store: SessionStore }> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 })
  pool.on('error', () => {})
  cleanup.add('end the pool', () => pool.end())
  const store = new PgStore({
    pool,
    schemaName: schema,
    tableName: PG_TABLE,
    createTableIfMissing: true,
    pruneSessionInterval: false,
  })
  cleanup.add('close the store', () => store.close())
  return { pool, store }
}
