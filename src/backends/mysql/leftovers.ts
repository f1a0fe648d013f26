/** The table, if it is still in the URL's database, asked over a connection of its own. */
export async function tableLeft(url: string, table: string): Promise<string[]> {
  const mysql = await import('mysql2/promise')
  const connection = await mysql.createConnection({ uri: url })
  try {
    const [rows] = await connection.query('SHOW TABLES LIKE ?', [table])
    return (rows as unknown[]).length > 0 ? [table] : []
  } finally {
    await connection.end()
  }
}
