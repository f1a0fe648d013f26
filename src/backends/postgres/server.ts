import type { ServerSpec } from '../types.js'
import { queryRows } from './query.js'

/** PostgreSQL: DATABASE_URL / PG_URL, else a container (servers are not started from a binary). */
export const postgresServer: ServerSpec = {
  kind: 'postgres',
  envVars: ['DATABASE_URL', 'PG_URL'],
  container: {
    image: 'postgres:16-alpine',
    port: 5432,
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' },
    url: (host, port) => `postgres://postgres@${host}:${port}/test`,
  },
  ping: (url, timeoutMs) => queryOne(url, timeoutMs, 'SHOW server_version'),
  instance: (url, timeoutMs) => queryOne(url, timeoutMs, 'SELECT pg_postmaster_start_time()::text'),
  hint: 'set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) or start Docker',
}

/** The first column of the first row of `sql`. */
async function queryOne(url: string, timeoutMs: number, sql: string): Promise<string> {
  const rows = await queryRows(url, sql, { timeoutMs })
  return String(rows[0]?.[0] ?? 'unknown')
}
