import type { Check, CheckGroup } from './types.js'

/** A check as written: `requires` may be left out (no capability needed). */
export type CheckDefinition = Omit<Check, 'requires'> & { readonly requires?: Check['requires'] }

/** Identity helper that gives check literals their type (and keeps `requires` defaulted). */
export function defineCheck(check: CheckDefinition): Check {
  return { ...check, requires: check.requires ?? [] }
}

/** A suite file's checks, with their group stamped once (as keyv's suite is one function per group). */
export function defineGroup(group: CheckGroup, checks: readonly Omit<CheckDefinition, 'group'>[]): Check[] {
  return checks.map((check) => defineCheck({ ...check, group }))
}
