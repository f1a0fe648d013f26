import { storeConformance } from '../src/vitest.js'
import referenceStore from './stores/correct/reference-store.js'

// What a store author writes: one vitest test per check, from the same definitions as the CLI.
storeConformance(referenceStore, { name: 'reference store' })
storeConformance('memory', { only: ['core', 'ttl'] })
