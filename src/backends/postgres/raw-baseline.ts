import { runToken } from '../../core/token.js'
import { expiresInSeconds } from '../_raw-baseline.js'
import type { RawBaseline } from '../types.js'

/**
 * node-postgres running connect-pg-simple's own statements (SELECT, INSERT … ON CONFLICT, UPDATE
 * expire, DELETE) on a table shaped like its table.sql, in a schema of its own dropped at close.
 * The pool has the adapter's size, so both sides have the same connections to work with.
 */
export async function postgresBaseline(url: string): Promise<RawBaseline> {
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 })
  pool.on('error', () => {})
  const schema = `sc_raw_${runToken()}`
  const table = `"${schema}"."session"`
  try {
    await pool.query(`CREATE SCHEMA "${schema}"`)
    await pool.query(
      `CREATE TABLE ${table} (sid varchar NOT NULL PRIMARY KEY, sess json NOT NULL, expire timestamp(6) NOT NULL)`,
    )
    await pool.query(`CREATE INDEX ON ${table} (expire)`)
  } catch (error) {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {})
    await pool.end()
    throw error
  }
  const now = () => Date.now() / 1000
  return {
    describes: 'node-postgres SELECT, INSERT … ON CONFLICT, UPDATE, DELETE',
    namespace: schema,
    get: async (sid) => {
      const result = await pool.query(`SELECT sess FROM ${table} WHERE sid = $1 AND expire >= to_timestamp($2)`, [
        sid,
        now(),
      ])
      return result.rows[0]?.sess
    },
    set: async (sid, session) => {
      await pool.query(
        `INSERT INTO ${table} (sess, expire, sid) SELECT $1, to_timestamp($2), $3 ` +
          'ON CONFLICT (sid) DO UPDATE SET sess = $1, expire = to_timestamp($2)',
        [JSON.stringify(session), expiresInSeconds(), sid],
      )
    },
    touch: async (sid) =>
      void (await pool.query(`UPDATE ${table} SET expire = to_timestamp($1) WHERE sid = $2`, [
        expiresInSeconds(),
        sid,
      ])),
    destroy: async (sid) => void (await pool.query(`DELETE FROM ${table} WHERE sid = $1`, [sid])),
    close: async () => {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      } finally {
        await pool.end()
      }
    },
  }
}
