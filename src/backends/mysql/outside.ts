import { queryRows } from './query.js'

/** How long each query may take before it is an error (a server that stopped answering). */
const SEARCH_TIMEOUT_MS = 10_000

/**
 * Databases and tables on the server whose names contain `marker`, other than the run's own
 * table, from information_schema over connections of their own: what a hostile session id may have
 * created outside the run's namespace. Two queries: the two views' name columns may differ in
 * collation, which a UNION refuses.
 */
export async function mysqlNamesOutside(url: string, table: string, marker: string): Promise<string[]> {
  const options = { params: [marker], timeoutMs: SEARCH_TIMEOUT_MS }
  const databases = await queryRows(
    url,
    'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE INSTR(SCHEMA_NAME, ?) > 0',
    options,
  )
  const tables = await queryRows(
    url,
    'SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES ' +
      'WHERE INSTR(TABLE_NAME, ?) > 0 AND NOT (TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?)',
    { ...options, params: [marker, table] },
  )
  return [
    ...databases.map((row) => `database ${String(row[0])}`),
    ...tables.map((row) => `table ${String(row[0])}.${String(row[1])}`),
  ].sort()
}
