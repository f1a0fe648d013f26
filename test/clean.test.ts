import { createClient } from 'redis'
import { expect, test } from 'vitest'
import { cleanNamespaces } from '../src/api/clean.js'
import { backendOf } from '../src/backends/index.js'
import { runToken } from '../src/core/token.js'

const HOUR_MS = 60 * 60_000
const REDIS_URL = 'redis://127.0.0.1:6379'

/**
 * What interrupted runs leave is listed by `clean`, removed only with --yes, and only when its
 * token says it is older than the minimum age: a namespace a run is using now is never touched,
 * nor one whose name carries no time.
 */
test('stale namespaces on shared servers are listed, and removed only when asked', async (context) => {
  const env = { REDIS_URL, DATABASE_URL: process.env.DATABASE_URL, MYSQL_URL: process.env.MYSQL_URL }
  if (!env.DATABASE_URL || !env.MYSQL_URL) context.skip('DATABASE_URL and MYSQL_URL are needed')
  const old = runToken(Date.now() - 3 * HOUR_MS)
  const recent = runToken()
  const made = {
    redis: [`sc-${old}:`, `sc-${recent}:`],
    postgres: [`sc_${old}`, `sc_${recent}`, 'sc_1a2b3c4d'],
    mysql: [`sc_sessions_${old}`, `sc_sessions_${recent}`],
  }
  const redis = await createClient({ url: REDIS_URL }).connect()
  context.onTestFinished(async () => {
    for (const [backend, names] of Object.entries(made)) {
      const url = backend === 'redis' ? REDIS_URL : backend === 'postgres' ? env.DATABASE_URL : env.MYSQL_URL
      for (const name of names) await backendOf(backend)?.removeNamespace?.(url as string, name)
    }
    await redis.quit()
  })
  for (const prefix of made.redis) await redis.set(`${prefix}session`, '{}')
  await sql(
    'postgres',
    env.DATABASE_URL as string,
    made.postgres.map((schema) => `CREATE SCHEMA "${schema}"`),
  )
  await sql(
    'mysql',
    env.MYSQL_URL as string,
    made.mysql.map((table) => `CREATE TABLE \`${table}\` (id INT)`),
  )

  const ours = (report: Awaited<ReturnType<typeof cleanNamespaces>>) =>
    Object.fromEntries(
      report.namespaces
        .filter((found) => Object.values(made).flat().includes(found.namespace))
        .map((found) => [found.namespace, found.action]),
    )
  const backends = ['redis', 'postgres', 'mysql']
  const listed = await cleanNamespaces({ backends, env })
  expect(ours(listed)).toEqual({
    [`sc-${old}:`]: 'stale',
    [`sc-${recent}:`]: 'too-recent',
    [`sc_${old}`]: 'stale',
    [`sc_${recent}`]: 'too-recent',
    sc_1a2b3c4d: 'age-unknown',
    [`sc_sessions_${old}`]: 'stale',
    [`sc_sessions_${recent}`]: 'too-recent',
  })

  const cleaned = await cleanNamespaces({ backends, env, remove: true })
  expect(Object.values(ours(cleaned)).filter((action) => action === 'removed')).toHaveLength(3)
  const after = ours(await cleanNamespaces({ backends, env }))
  expect(Object.keys(after).sort()).toEqual(
    [`sc-${recent}:`, `sc_${recent}`, 'sc_1a2b3c4d', `sc_sessions_${recent}`].sort(),
  )
})

test('the minimum age cannot be lowered below ten minutes', async () => {
  await expect(cleanNamespaces({ olderThanMs: 60_000 })).rejects.toThrow(/the minimum age is 10 minutes/)
})

async function sql(backend: 'postgres' | 'mysql', url: string, statements: readonly string[]): Promise<void> {
  if (backend === 'postgres') {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    for (const statement of statements) await client.query(statement)
    await client.end()
  } else {
    const mysql = await import('mysql2/promise')
    const connection = await mysql.createConnection({ uri: url })
    for (const statement of statements) await connection.query(statement)
    await connection.end()
  }
}
