/**
 * One statement over a connection of its own, closed whatever happens: how the tool asks the
 * server things outside any store (its version, who it is, what namespaces are left).
 */
export async function queryRows(
  url: string,
  sql: string,
  options: { readonly params?: readonly unknown[]; readonly timeoutMs?: number } = {},
): Promise<unknown[][]> {
  const { default: pg } = await import('pg')
  const { timeoutMs } = options
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs })
  client.on('error', () => {})
  try {
    await client.connect()
    const { rows } = await client.query<unknown[]>({ text: sql, values: [...(options.params ?? [])], rowMode: 'array' })
    return rows
  } finally {
    await client.end().catch(() => {})
  }
}
