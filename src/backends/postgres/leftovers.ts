import { queryRows } from './query.js'

/** The schema, if it is still there, asked over a connection of its own. */
export async function schemaLeft(url: string, schema: string): Promise<string[]> {
  const found = await queryRows(url, 'SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', {
    params: [schema],
  })
  return found.length === 0 ? [] : [schema]
}
