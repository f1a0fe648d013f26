import { queryRows } from './query.js'

/** The table, if it is still in the URL's database, asked over a connection of its own. */
export async function tableLeft(url: string, table: string): Promise<string[]> {
  const rows = await queryRows(url, 'SHOW TABLES LIKE ?', { params: [table] })
  return rows.length > 0 ? [table] : []
}
