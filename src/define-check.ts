import type { Check } from './types.js'

/** Identity helper that gives check literals their type (and keeps `requires` defaulted). */
export function defineCheck(check: Omit<Check, 'requires'> & { requires?: Check['requires'] }): Check {
  return { ...check, requires: check.requires ?? [] }
}
