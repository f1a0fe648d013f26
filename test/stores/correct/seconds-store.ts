import { ReferenceStore } from './reference-store.js'

type CookieLike = { expires?: Date | string | null; _expires?: Date | string | null }

/**
 * Correct, with Redis-like expiry: the TTL is rounded up to whole seconds, so a session can
 * outlive its cookie by up to a second. It declares nothing: the runner must detect that.
 */
export class SecondsStore extends ReferenceStore {
  protected override expiryOf(cookie: CookieLike | undefined): number | null {
    const expiresAt = super.expiryOf(cookie)
    if (expiresAt === null) return null
    const now = Date.now()
    return expiresAt <= now ? expiresAt : now + Math.ceil((expiresAt - now) / 1000) * 1000
  }
}

export default { create: () => new SecondsStore() }
