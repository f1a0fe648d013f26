import type { SessionStore } from '../../core/types.js'
import type { Cleanup } from '../_cleanup.js'
import { importPackages } from '../packages.js'
import { mysqlConnectionOptions } from './connection.js'

type MySqlStore = SessionStore & {
  onReady(): Promise<void>
  close(): Promise<void>
  readonly state: string
  readonly connection: { end(): Promise<void> }
}
type MySqlStoreClass = new (options: object) => MySqlStore

/** mysql2 and express-mysql-session's store class for `session`, imported once per open. */
export interface MysqlPackages {
  readonly mysql2: typeof import('mysql2/promise')
  readonly MySQLStore: MySqlStoreClass
}

export async function importMysqlPackages(session: unknown): Promise<MysqlPackages> {
  const [mysql2, { default: factory }] = await importPackages<
    [typeof import('mysql2/promise'), { default: (session: unknown) => MySqlStoreClass }]
  >('mysql', [
    { name: 'mysql2', range: '^3', entry: 'mysql2/promise' },
    { name: 'express-mysql-session', range: '^3' },
  ])
  return { mysql2, MySQLStore: factory(session) }
}

/**
 * A MySQLStore with a pool of its own on `tableName`, ready: how the run's store and each of its
 * peers are made. Each creates the table if missing (CREATE TABLE IF NOT EXISTS, safe to repeat).
 */
export async function connectMysqlStore(
  { MySQLStore }: MysqlPackages,
  url: string,
  tableName: string,
  cleanup: Cleanup,
): Promise<{ store: SessionStore }> {
  const store = new MySQLStore({
    ...mysqlConnectionOptions(url),
    createDatabaseTable: true,
    clearExpired: false,
    schema: { tableName },
  })
  // close() ends the pool only once the store is ready; one whose table creation failed still holds it.
  cleanup.add('close the store', () => (store.state === 'INITIALIZED' ? store.close() : store.connection.end()))
  await store.onReady()
  return { store }
}
