/** This tool's schemas on the server (`sc_…`). */
export async function postgresNamespaces(url: string): Promise<string[]> {
  const rows = await query(url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'sc\\_%' ORDER BY nspname")
  return rows.map((row) => String(row.nspname))
}

export async function removePostgresNamespace(url: string, schema: string): Promise<void> {
  await query(url, `DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`)
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}
