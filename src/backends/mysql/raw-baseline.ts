import { runToken } from '../../core/token.js'
import { expiresInSeconds, fromJson } from '../_raw-baseline.js'
import type { RawBaseline } from '../types.js'
import { mysqlConnectionOptions } from './connection.js'

/**
 * mysql2 running express-mysql-session's own statements (SELECT, INSERT … ON DUPLICATE KEY
 * UPDATE, UPDATE expires, DELETE) on a table shaped like its own, unique per run and dropped at
 * close. The pool is mysql2's default, as the store's is.
 */
export async function mysqlBaseline(url: string): Promise<RawBaseline> {
  const mysql2 = await import('mysql2/promise')
  const connection = mysqlConnectionOptions(url)
  const pool = mysql2.createPool({ ...connection, connectTimeout: 5000 })
  const table = `sc_raw_sessions_${runToken()}`
  try {
    await pool.query(
      `CREATE TABLE \`${table}\` (session_id varchar(128) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, ` +
        'expires int(11) unsigned NOT NULL, data mediumtext COLLATE utf8mb4_bin) ENGINE=InnoDB',
    )
  } catch (error) {
    await pool.end()
    throw error
  }
  return {
    describes: 'mysql2 SELECT, INSERT … ON DUPLICATE KEY UPDATE, UPDATE, DELETE',
    namespace: table,
    get: async (sid) => {
      const [rows] = await pool.query(`SELECT data FROM \`${table}\` WHERE session_id = ? AND expires >= ?`, [
        sid,
        Math.round(Date.now() / 1000),
      ])
      return fromJson((rows as { data: string }[])[0]?.data)
    },
    set: async (sid, session) => {
      await pool.query(
        `INSERT INTO \`${table}\` (session_id, expires, data) VALUES (?, ?, ?) ` +
          'ON DUPLICATE KEY UPDATE expires = VALUES(expires), data = VALUES(data)',
        [sid, expiresInSeconds(), JSON.stringify(session)],
      )
    },
    touch: async (sid) =>
      void (await pool.query(`UPDATE \`${table}\` SET expires = ? WHERE session_id = ?`, [expiresInSeconds(), sid])),
    destroy: async (sid) => void (await pool.query(`DELETE FROM \`${table}\` WHERE session_id = ?`, [sid])),
    close: async () => {
      try {
        await pool.query(`DROP TABLE IF EXISTS \`${table}\``)
      } finally {
        await pool.end()
      }
    },
  }
}
