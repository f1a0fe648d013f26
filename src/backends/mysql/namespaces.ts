import { queryRows } from './query.js'

/** This tool's tables in the URL's database (`sc_…`). */
export async function mysqlNamespaces(url: string): Promise<string[]> {
  const rows = await queryRows(url, "SHOW TABLES LIKE 'sc\\_%'")
  return rows.map((row) => String(row[0])).sort()
}

export async function removeMysqlNamespace(url: string, table: string): Promise<void> {
  await queryRows(url, `DROP TABLE IF EXISTS \`${table.replace(/`/g, '``')}\``)
}
