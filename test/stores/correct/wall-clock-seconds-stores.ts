import { ReferenceStore } from './reference-store.js'

type CookieLike = { expires?: Date | string | null; _expires?: Date | string | null }

/**
 * Correct stores that keep expiry as whole seconds of wall-clock time, as SQL stores do: the
 * phase of the expiry within its second decides how much longer (or shorter) a session lives.
 * They declare nothing: the runner has to detect the granularity whatever the phase.
 */
abstract class WallClockSecondsStore extends ReferenceStore {
  protected abstract round(seconds: number): number

  protected override expiryOf(cookie: CookieLike | undefined): number | null {
    const expiresAt = super.expiryOf(cookie)
    return expiresAt === null ? null : this.round(expiresAt / 1000) * 1000
  }
}

/** connect-pg-simple: `expire = ceil(expires / 1000)`, returned while `expire >= now`. */
export class CeilSecondsStore extends WallClockSecondsStore {
  protected round(seconds: number): number {
    return Math.ceil(seconds)
  }
}

/** express-mysql-session: `Math.round(expires / 1000)` in an INT column. */
export class RoundSecondsStore extends WallClockSecondsStore {
  protected round(seconds: number): number {
    return Math.round(seconds)
  }
}
