import type { BrokenStore } from './broken-store.js'
import { callbacksAndIsolationBroken } from './callbacks-and-isolation.js'
import { expressBroken } from './express.js'
import { lifetimesAndPayloadsBroken } from './lifetimes-and-payloads.js'
import { racesBroken } from './races.js'
import { resilienceBroken } from './resilience.js'
import { safetyBroken } from './safety.js'
import { shapeAndCoreBroken } from './shape-and-core.js'
import { touchAndWholeStoreBroken } from './touch-and-whole-store.js'
import { ttlAndSerializationBroken } from './ttl-and-serialization.js'
import { visibilityAndContainmentBroken } from './visibility-and-containment.js'

/** The corpus: every check in suites/ is broken by at least one of these. */
export const brokenStores: readonly BrokenStore[] = [
  ...shapeAndCoreBroken,
  ...callbacksAndIsolationBroken,
  ...ttlAndSerializationBroken,
  ...touchAndWholeStoreBroken,
  ...expressBroken,
  ...lifetimesAndPayloadsBroken,
  ...visibilityAndContainmentBroken,
  ...racesBroken,
  ...safetyBroken,
  ...resilienceBroken,
]

export type { BrokenStore }
