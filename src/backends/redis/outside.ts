import { withRedis } from './keys.js'

/** How long the search may take before it is an error (a server that stopped answering). */
const SEARCH_TIMEOUT_MS = 10_000

/** `text` as a literal in a Redis glob pattern. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\^]/g, '\\$&')

/**
 * Keys on the server whose names contain `marker` and do not start with `prefix`, over a
 * connection of its own: what a hostile session id may have written outside the run's prefix.
 */
export function redisKeysOutside(url: string, prefix: string, marker: string): Promise<string[]> {
  return withRedis(
    url,
    async (client) => {
      const found: string[] = []
      for await (const keys of client.scanIterator({ MATCH: `*${escapeGlob(marker)}*`, COUNT: 1000 })) {
        for (const key of keys) if (!key.startsWith(prefix)) found.push(key)
      }
      return found.sort()
    },
    SEARCH_TIMEOUT_MS,
  )
}
