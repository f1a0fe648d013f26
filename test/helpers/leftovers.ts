/**
 * What a run left on a shared backend, asked over a connection of the test's own: the cleanup
 * tests of the adapters and of the raw baselines look through these.
 */

export async function redisKeysUnder(url: string, prefix: string): Promise<string[]> {
  const { createClient } = await import('redis')
  const client = await createClient({ url }).connect()
  try {
    return await client.keys(`${prefix}*`)
  } finally {
    await client.close()
  }
}

export async function postgresSchemaExists(url: string, schema: string): Promise<boolean> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rowCount !== 0
  } finally {
    await client.end()
  }
}

export async function mysqlTableExists(url: string, table: string): Promise<boolean> {
  const mysql = await import('mysql2/promise')
  const connection = await mysql.createConnection({ uri: url })
  try {
    return ((await connection.query('SHOW TABLES LIKE ?', [table]))[0] as unknown[]).length > 0
  } finally {
    await connection.end()
  }
}
