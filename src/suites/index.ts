/**
 * The check catalogue, in report order. Each group lives in its own file; this is the table of
 * contents. Ids are stable: reports, filters and baselines refer to them.
 */
import type { Check } from '../core/types.js'
import { allChecks } from './all.js'
import { callbackChecks } from './callbacks.js'
import { clearChecks } from './clear.js'
import { coreChecks } from './core.js'
import { expressChecks } from './express.js'
import { isolationChecks } from './isolation.js'
import { lengthChecks } from './length.js'
import { racesChecks } from './races.js'
import { resilienceChecks } from './resilience.js'
import { safetyChecks } from './safety.js'
import { serializationChecks } from './serialization.js'
import { shapeChecks } from './shape.js'
import { touchChecks } from './touch.js'
import { ttlChecks } from './ttl.js'

export const checks: readonly Check[] = [
  ...shapeChecks, // usable by express-session at all
  ...coreChecks, // get / set / destroy
  ...callbackChecks, // exactly once, never throw, never hang
  ...isolationChecks, // no shared references with the caller
  ...ttlChecks, // expiry, the store's job alone
  ...serializationChecks, // data comes back as it went in
  ...touchChecks, // recommended: touch()
  ...lengthChecks, // optional: length()
  ...allChecks, // optional: all()
  ...clearChecks, // optional: clear(), destructive, runs last
  ...expressChecks, // the store behind real express-session over HTTP
  ...racesChecks, // overlapping requests of one session, over HTTP
  ...safetyChecks, // hostile ids and data
  ...resilienceChecks, // the backend stalls, goes away and comes back
]
