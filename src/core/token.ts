import { randomBytes } from 'node:crypto'

/** A short random token for namespaces: key prefixes, schema, table and directory names. */
export function runToken(): string {
  return randomBytes(4).toString('hex')
}
