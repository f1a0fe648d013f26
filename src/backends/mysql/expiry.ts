import { queryRows } from './query.js'

/**
 * The `expires` column (the store's default column names) of `sid`'s row, in epoch ms; undefined
 * without a row. The store writes whole seconds, Math.round(expires / 1000), into an INT.
 */
export async function mysqlExpiry(url: string, table: string, sid: string): Promise<number | undefined> {
  const rows = await queryRows(url, 'SELECT expires FROM ?? WHERE session_id = ?', { params: [table, sid] })
  const seconds = rows[0]?.[0]
  return seconds === undefined ? undefined : Number(seconds) * 1000
}
