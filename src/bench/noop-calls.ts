import type { StoreCalls } from '../core/types.js'

/**
 * A target that does nothing: what the harness itself costs per operation (building sessions,
 * picking ids, promise plumbing, tinybench's loop). Reported so no one reads it as store time.
 */
export const noopCalls: StoreCalls = {
  get: async () => undefined,
  set: async () => {},
  touch: async () => {},
  destroy: async () => {},
}
