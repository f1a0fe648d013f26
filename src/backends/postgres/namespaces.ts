import { queryRows } from './query.js'

/** This tool's schemas on the server (`sc_…`). */
export async function postgresNamespaces(url: string): Promise<string[]> {
  const rows = await queryRows(url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'sc\\_%' ORDER BY nspname")
  return rows.map((row) => String(row[0]))
}

export async function removePostgresNamespace(url: string, schema: string): Promise<void> {
  await queryRows(url, `DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`)
}
