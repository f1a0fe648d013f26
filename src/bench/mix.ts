import { ConformanceError } from '../core/errors.js'

/**
 * A request mix: what share of requests only read the session (get, then touch) and what share
 * change it (get, then set), as express-session drives a store per request.
 */
export interface RequestMix {
  readonly name: string
  /** Fraction of requests that are get + touch; the rest are get + set. */
  readonly readShare: number
}

export const MIXES: Record<string, RequestMix> = {
  'read-heavy': { name: 'read-heavy', readShare: 0.9 },
  'write-heavy': { name: 'write-heavy', readShare: 0.5 },
}

/** `--mix` values → mixes: undefined for the defaults, [] for `none`; a bad one is a usage error. */
export function parseMixes(specs: readonly string[]): RequestMix[] | undefined {
  if (specs.length === 0) return undefined
  if (specs.length === 1 && specs[0] === 'none') return []
  try {
    return specs.map(parseMix)
  } catch (error) {
    throw new ConformanceError('SC_BAD_OPTION', `--mix: ${(error as Error).message}`)
  }
}

/** `read-heavy`, `write-heavy`, or a custom `reads:NN` (percent of get + touch requests). */
export function parseMix(spec: string): RequestMix {
  const named = MIXES[spec]
  if (named) return named
  const custom = /^reads:(\d{1,3})$/.exec(spec)
  const percent = custom ? Number(custom[1]) : Number.NaN
  if (!(percent >= 0 && percent <= 100))
    throw new RangeError(`unknown mix "${spec}": use read-heavy, write-heavy or reads:<0-100>`)
  return { name: `reads:${percent}`, readShare: percent / 100 }
}
