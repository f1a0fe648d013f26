/** The schema, if it is still there, asked over a connection of its own. */
export async function schemaLeft(url: string, schema: string): Promise<string[]> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])
    return found.rowCount === 0 ? [] : [schema]
  } finally {
    await client.end()
  }
}
