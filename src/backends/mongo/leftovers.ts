/** The database, if it is still on the server, asked over a connection of its own. */
export async function databaseLeft(url: string, database: string): Promise<string[]> {
  const { MongoClient } = await import('mongodb')
  const client = await new MongoClient(url).connect()
  try {
    const { databases } = await client.db().admin().listDatabases()
    return databases.some((entry) => entry.name === database) ? [database] : []
  } finally {
    await client.close()
  }
}
