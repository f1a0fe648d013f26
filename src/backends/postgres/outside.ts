import { queryRows } from './query.js'

/** How long the search may take before it is an error (a server that stopped answering). */
const SEARCH_TIMEOUT_MS = 10_000

/**
 * Databases, schemas and relations (tables, indexes, sequences, views) whose names contain
 * `marker`, other than the run's own schema and what is in it, over a connection of its own: what
 * a hostile session id may have created outside the run's namespace.
 */
export async function postgresNamesOutside(url: string, schema: string, marker: string): Promise<string[]> {
  const rows = await queryRows(
    url,
    `SELECT 'database ' || datname FROM pg_database WHERE strpos(datname, $1) > 0
     UNION ALL
     SELECT 'schema ' || nspname FROM pg_namespace WHERE strpos(nspname, $1) > 0 AND nspname <> $2
     UNION ALL
     SELECT 'relation ' || n.nspname || '.' || c.relname FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE strpos(c.relname, $1) > 0 AND n.nspname <> $2
     ORDER BY 1`,
    { params: [marker, schema], timeoutMs: SEARCH_TIMEOUT_MS },
  )
  return rows.map((row) => String(row[0]))
}
