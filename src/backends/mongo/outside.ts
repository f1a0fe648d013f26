import type { MongoClient } from 'mongodb'

/**
 * Databases and collections on the server whose names contain `marker`, other than the run's own
 * collection: what a hostile session id may have created outside the run's namespace.
 */
export async function mongoNamesOutside(
  client: MongoClient,
  dbName: string,
  collection: string,
  marker: string,
): Promise<string[]> {
  const found: string[] = []
  const { databases } = await client.db().admin().listDatabases({ nameOnly: true })
  for (const { name } of databases) {
    if (name.includes(marker)) found.push(`database ${name}`)
    const collections = await client.db(name).listCollections({}, { nameOnly: true }).toArray()
    for (const entry of collections) {
      if (entry.name.includes(marker) && !(name === dbName && entry.name === collection))
        found.push(`collection ${name}.${entry.name}`)
    }
  }
  return found.sort()
}
