import { defineBackend } from '../define.js'
import { memoryStore } from './memory-store.js'
import { memorystore } from './memorystore.js'
import { memoryBaseline } from './raw-baseline.js'

/** In-process stores: nothing to provision; the raw baseline is a Map of JSON texts. */
export const memory = defineBackend({
  name: 'memory',
  stores: [memoryStore, memorystore],
  rawBaseline: memoryBaseline,
})
