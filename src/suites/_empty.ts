/** How many sessions an all() answer lists, whichever shape it has; undefined if it is neither shape. */
export function countListed(all: unknown): number | undefined {
  if (Array.isArray(all)) return all.length
  if (all && typeof all === 'object') return Object.keys(all).length
  return undefined
}
