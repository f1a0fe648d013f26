/** This tool's databases on the server (`sc_…`). */
export async function mongoNamespaces(url: string): Promise<string[]> {
  const { MongoClient } = await import('mongodb')
  const client = await new MongoClient(url).connect()
  try {
    const { databases } = await client.db().admin().listDatabases()
    return databases
      .map((entry) => entry.name)
      .filter((name) => name.startsWith('sc_'))
      .sort()
  } finally {
    await client.close()
  }
}

export async function removeMongoNamespace(url: string, database: string): Promise<void> {
  const { MongoClient } = await import('mongodb')
  const client = await new MongoClient(url).connect()
  try {
    await client.db(database).dropDatabase()
  } finally {
    await client.close()
  }
}
