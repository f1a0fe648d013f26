import { ConformanceError, type ErrorCode } from './errors.js'

/** How long one store call may take before it counts as a hang (ms). */
export const DEFAULT_TIMEOUT_MS = 3000

/** Upper bounds that keep every wait within what setTimeout can express, and sane. */
export const MAX_TIMEOUT_MS = 600_000
export const MAX_TTL_GRANULARITY_MS = 60_000

/**
 * The shortest per-call timeout: below it a healthy store on a busy machine misses deadlines and
 * every check that calls it fails for nothing.
 */
export const MIN_TIMEOUT_MS = 100

/** A per-call timeout in whole ms from MIN_TIMEOUT_MS to MAX_TIMEOUT_MS, or a ConformanceError naming `what`. */
export function checkTimeout(value: unknown, code: ErrorCode, what: string): number {
  if (!Number.isInteger(value) || !((value as number) >= MIN_TIMEOUT_MS && (value as number) <= MAX_TIMEOUT_MS)) {
    throw new ConformanceError(
      code,
      `${what} must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}, ` +
        `got ${JSON.stringify(value)}`,
    )
  }
  return value as number
}

/** A TTL granularity in [0, MAX_TTL_GRANULARITY_MS], or a ConformanceError naming `what`. */
export function checkGranularity(value: unknown, code: ErrorCode, what: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_TTL_GRANULARITY_MS)) {
    throw new ConformanceError(
      code,
      `${what} must be a number of milliseconds from 0 to ${MAX_TTL_GRANULARITY_MS}, got ${JSON.stringify(value)}`,
    )
  }
  return value
}
