import { ConformanceError } from './errors.js'
import type { Check } from './types.js'

/**
 * Builds the filter for --only/--skip. Each entry names a check id or a group; an entry that
 * names neither is a typo, and a typo in a CI gate must not silently select nothing.
 */
export function selectChecks(
  catalogue: readonly Check[],
  only: readonly string[] = [],
  skip: readonly string[] = [],
): (check: Check) => boolean {
  const known = new Set(catalogue.flatMap((check) => [check.id, check.group]))
  const unknown = [...only, ...skip].filter((entry) => !known.has(entry))
  if (unknown.length > 0) {
    throw new ConformanceError('SC_UNKNOWN_CHECK', `unknown check id or group: ${unknown.join(', ')} (see --list)`)
  }
  const matches = (check: Check, entries: readonly string[]) =>
    entries.includes(check.id) || entries.includes(check.group)
  return (check) => (only.length === 0 || matches(check, only)) && !matches(check, skip)
}
