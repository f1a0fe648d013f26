import type { ServerSpec } from '../types.js'
import { queryRows } from './query.js'

/** MySQL / MariaDB: MYSQL_URL, else a container. */
export const mysqlServer: ServerSpec = {
  kind: 'mysql',
  envVars: ['MYSQL_URL'],
  container: {
    image: 'mysql:8.4',
    port: 3306,
    env: { MYSQL_ALLOW_EMPTY_PASSWORD: 'yes', MYSQL_DATABASE: 'test' },
    url: (host, port) => `mysql://root@${host}:${port}/test`,
  },
  ping: (url, timeoutMs) => queryOne(url, timeoutMs, 'SELECT VERSION()'),
  // The start time in seconds: MariaDB has no server id, and its uptime moves.
  instance: (url, timeoutMs) =>
    queryOne(
      url,
      timeoutMs,
      "SELECT UNIX_TIMESTAMP() - VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'UPTIME'",
    ),
  hint: 'set MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/test) or start Docker',
}

/** The first column of the first row of `sql`. */
async function queryOne(url: string, timeoutMs: number, sql: string): Promise<string> {
  const rows = await queryRows(url, sql, { timeoutMs })
  return String(rows[0]?.[0] ?? 'unknown')
}
