import type { Capability, DeclaredCapabilities, ResolvedCapabilities, SessionStore } from './types.js'

export const CAPABILITIES: readonly Capability[] = ['touch', 'length', 'all', 'clear']

/**
 * Fills in what the store module did not declare by looking at the store: a capability is
 * present when the method exists. A declaration wins both ways, so a store that ships a no-op
 * touch (connect-redis `disableTouch`) can say `touch: false`.
 */
export function resolveCapabilities(
  store: SessionStore,
  declared: DeclaredCapabilities = {},
  ttlGranularityOverrideMs?: number,
): ResolvedCapabilities {
  const has = (capability: Capability) => declared[capability] ?? typeof store[capability] === 'function'
  return {
    touch: has('touch'),
    length: has('length'),
    all: has('all'),
    clear: has('clear'),
    ttlGranularityMs: ttlGranularityOverrideMs ?? declared.ttlGranularityMs,
  }
}
