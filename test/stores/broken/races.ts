import type { BrokenStore } from './broken-store.js'

export const racesBroken: readonly BrokenStore[] = []
