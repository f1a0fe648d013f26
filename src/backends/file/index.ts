import { defineBackend } from '../define.js'
import { directoryLeft } from './leftovers.js'
import { fileBaseline } from './raw-baseline.js'
import { sessionFileStore } from './session-file-store.js'

/** Files in a temporary directory: session-file-store; the raw baseline is plain fs. */
export const file = defineBackend({
  name: 'file',
  stores: [sessionFileStore],
  rawBaseline: fileBaseline,
  leftovers: directoryLeft,
})
