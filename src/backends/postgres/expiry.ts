import type { Pool } from 'pg'

/**
 * The `expire` column of `sid`'s row, in epoch ms; undefined without a row (the column is NOT
 * NULL). The store writes to_timestamp(seconds) into a timestamp without time zone, which
 * PostgreSQL converts in the session's TimeZone; cast back the same way, it is the instant written.
 */
export async function pgExpiry(pool: Pool, table: string, sid: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ ms: number }>(
    `SELECT (extract(epoch FROM expire::timestamptz) * 1000)::float8 AS ms FROM ${table} WHERE sid = $1`,
    [sid],
  )
  return rows[0]?.ms
}
