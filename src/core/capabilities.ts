import { ConformanceError } from './errors.js'
import { checkGranularity } from './limits.js'
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
  validateManifest(store, declared)
  const has = (capability: Capability) => declared[capability] ?? typeof store[capability] === 'function'
  return {
    touch: has('touch'),
    length: has('length'),
    all: has('all'),
    clear: has('clear'),
    ttlGranularityMs: ttlGranularityOverrideMs ?? declared.ttlGranularityMs,
  }
}

/** A manifest that contradicts the store would make checks fail for the wrong reason: refuse it. */
function validateManifest(store: SessionStore, declared: DeclaredCapabilities): void {
  for (const capability of CAPABILITIES) {
    const value = declared[capability]
    if (value === undefined) continue
    if (typeof value !== 'boolean') {
      throw new ConformanceError(
        'SC_BAD_MANIFEST',
        `capabilities.${capability} must be true or false, got ${JSON.stringify(value)}`,
      )
    }
    if (value && typeof store[capability] !== 'function') {
      throw new ConformanceError(
        'SC_BAD_MANIFEST',
        `capabilities.${capability} is true but the store has no ${capability}() method`,
      )
    }
  }
  if (declared.ttlGranularityMs !== undefined)
    checkGranularity(declared.ttlGranularityMs, 'SC_BAD_MANIFEST', 'capabilities.ttlGranularityMs')
}
