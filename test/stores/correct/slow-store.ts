import { ReferenceStore } from './reference-store.js'

/** Correct, but every operation takes 150 ms: the TTL checks must scale their waits, not fail. */
export class SlowStore extends ReferenceStore {
  protected override defer(fn: () => void): void {
    setTimeout(fn, 150)
  }
}

export default { create: () => new SlowStore(), capabilities: { ttlGranularityMs: 0 } }
