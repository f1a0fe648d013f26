import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Gc = (options?: { type: 'major' | 'minor'; execution: 'sync' }) => void

let collect: Gc | undefined

/**
 * A young-generation collection before every window, as mitata collects before each benchmark
 * and BenchmarkDotNet between iterations: a window no longer pays for the garbage the window
 * before it left (the other side of its pair, in the bench's alternating order). Without it a
 * store's windows alternated by 8 % with the side that ran before them. Minor, not full: a full
 * collection of a heap holding the seeded pools costs more than a window.
 */
export function collectGarbage(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: Gc }).gc
    if (exposed) collect = exposed
    else {
      // Exposing gc at runtime only affects contexts created afterwards: take it from a fresh one.
      setFlagsFromString('--expose-gc')
      collect = runInNewContext('gc') as Gc
    }
  }
  collect({ type: 'minor', execution: 'sync' })
}
