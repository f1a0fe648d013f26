import { randomBytes } from 'node:crypto'

/**
 * Session ids for one run share a random prefix, so everything the run writes is recognisable
 * and never collides with sessions that were already in the store.
 */
export function createSidFactory(prefix = `sc-${randomBytes(4).toString('hex')}-`): () => string {
  let counter = 0
  return () => `${prefix}${(counter++).toString(36)}-${randomBytes(6).toString('base64url')}`
}
