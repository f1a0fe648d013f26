import type { ServerSpec } from '../types.js'

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
  async ping(url, timeoutMs) {
    const mysql = await import('mysql2/promise')
    const connection = await mysql.createConnection({ uri: url, connectTimeout: timeoutMs })
    try {
      const [rows] = await connection.query('SELECT VERSION() AS version')
      return String((rows as { version: string }[])[0]?.version ?? 'unknown')
    } finally {
      await connection.end().catch(() => {})
    }
  },
  hint: 'set MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/test) or start Docker',
}
