import type { ServerSpec } from '../types.js'

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
  async ping(url, timeoutMs) {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs })
    client.on('error', () => {})
    try {
      await client.connect()
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version')
      return rows[0]?.server_version ?? 'unknown'
    } finally {
      await client.end().catch(() => {})
    }
  },
  hint: 'set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) or start Docker',
}
