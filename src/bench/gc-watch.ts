import { type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks'

export interface GcPauses {
  readonly count: number
  readonly totalMs: number
}

/**
 * Counts the garbage-collection pauses that start inside a window. Node delivers `gc` entries on
 * a later turn of the event loop, so stop() waits one turn before it disconnects.
 */
export function watchGc(): { stop(): Promise<GcPauses> } {
  const from = performance.now()
  const entries: PerformanceEntry[] = []
  const observer = new PerformanceObserver((list) => void entries.push(...list.getEntries()))
  observer.observe({ entryTypes: ['gc'] })
  return {
    async stop() {
      const to = performance.now()
      await new Promise((resolve) => setImmediate(resolve))
      observer.disconnect()
      const inside = entries.filter((entry) => entry.startTime >= from && entry.startTime <= to)
      return { count: inside.length, totalMs: inside.reduce((sum, entry) => sum + entry.duration, 0) }
    },
  }
}
