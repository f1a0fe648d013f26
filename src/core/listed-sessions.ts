/**
 * What an all() answer lists, in either shape stores use: an object map of id → session, or an
 * array of sessions (with an `id` each, or without).
 */

/** How many sessions an all() answer lists; undefined if it is neither shape. */
export function countListed(all: unknown): number | undefined {
  if (Array.isArray(all)) return all.length
  if (all && typeof all === 'object') return Object.keys(all).length
  return undefined
}

/** The ids an all() answer lists, where it names them. */
export function listedIds(all: unknown): string[] {
  if (Array.isArray(all)) return all.map((entry: { id?: unknown }) => entry?.id).filter((id) => typeof id === 'string')
  return all && typeof all === 'object' ? Object.keys(all) : []
}
