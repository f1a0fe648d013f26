/** This tool's tables in the URL's database (`sc_…`). */
export async function mysqlNamespaces(url: string): Promise<string[]> {
  const rows = await query(url, "SHOW TABLES LIKE 'sc\\_%'")
  return rows.map((row) => String(row[0])).sort()
}

export async function removeMysqlNamespace(url: string, table: string): Promise<void> {
  await query(url, `DROP TABLE IF EXISTS \`${table.replace(/`/g, '``')}\``)
}

async function query(url: string, sql: string): Promise<unknown[][]> {
  const mysql = await import('mysql2/promise')
  const connection = await mysql.createConnection({ uri: url })
  try {
    const [rows] = await connection.query({ sql, rowsAsArray: true })
    return rows as unknown[][]
  } finally {
    await connection.end()
  }
}
