import { defineGroup } from '../core/define-check.js'

/** Overlapping requests of one session, over HTTP (in progress: see issue 11). */
export const racesChecks = defineGroup('races', [])
