import { performance } from 'node:perf_hooks'

/**
 * The wall time during which at least one timed call was in flight: what ops/s divides by when
 * untimed preparation runs inside the window, at any concurrency (summing preparation and
 * subtracting it would count time spent queueing behind other calls as preparation).
 */
export class BusyTime {
  #inFlight = 0
  #since = 0
  #busyMs = 0

  /** `fn`, counted: the bookkeeping is two clock reads per call, inside the timed call. */
  wrap<T>(fn: () => Promise<T>): () => Promise<T> {
    return async () => {
      if (this.#inFlight++ === 0) this.#since = performance.now()
      try {
        return await fn()
      } finally {
        if (--this.#inFlight === 0) this.#busyMs += performance.now() - this.#since
      }
    }
  }

  get ms(): number {
    return this.#busyMs
  }
}
