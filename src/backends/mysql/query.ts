/**
 * One statement over a connection of its own, closed whatever happens: how the tool asks the
 * server things outside any store (its version, who it is, what namespaces are left).
 */
export async function queryRows(
  url: string,
  sql: string,
  options: { readonly params?: readonly unknown[]; readonly timeoutMs?: number } = {},
): Promise<unknown[][]> {
  const mysql = await import('mysql2/promise')
  const { timeoutMs } = options
  const connection = await mysql.createConnection({ uri: url, connectTimeout: timeoutMs })
  try {
    const [rows] = await connection.query({ sql, timeout: timeoutMs, rowsAsArray: true }, [...(options.params ?? [])])
    return rows as unknown[][]
  } finally {
    await connection.end().catch(() => {})
  }
}
