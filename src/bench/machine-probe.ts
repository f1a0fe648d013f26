import { performance } from 'node:perf_hooks'
import { sessionData } from './payloads.js'

/** How long one probe samples (ms): short enough to repeat every few cells in every run. */
const PROBE_MS = 10

/** A fixed CPU task timed over and over during the run: how steady the machine itself was. */
export interface MachineSteadiness {
  /** What the probe does. */
  readonly task: string
  /** The probe's p50 (ms) each time it ran: the median, and the extremes that show how far the machine drifted. */
  readonly p50: { readonly samples: number; readonly median: number; readonly min: number; readonly max: number }
  /** max ÷ min of those p50s: 1 is a steady machine; 1.6 means the same work took 60 % longer at times. */
  readonly drift: number
}

/**
 * Times a JSON round trip of a 4 KB session, a pure CPU task nothing in the bench changes. On a
 * shared or throttled machine its time moves (one VM here flipped between two speeds 1.6× apart);
 * reporting that drift tells a reader which differences between runs are the machine's.
 */
export class MachineProbe {
  readonly #p50s: number[] = []
  readonly #text = JSON.stringify(sessionData(4096))

  /** Samples the task for a few ms and records its p50. */
  sample(): void {
    const samples: number[] = []
    const end = performance.now() + PROBE_MS
    while (performance.now() < end) {
      const start = performance.now()
      JSON.stringify(JSON.parse(this.#text))
      samples.push(performance.now() - start)
    }
    samples.sort((a, b) => a - b)
    this.#p50s.push(samples[samples.length >> 1] as number)
  }

  result(): MachineSteadiness | undefined {
    if (this.#p50s.length === 0) return undefined
    const sorted = [...this.#p50s].sort((a, b) => a - b)
    const p50 = {
      samples: sorted.length,
      median: sorted[sorted.length >> 1] as number,
      min: sorted[0] as number,
      max: sorted.at(-1) as number,
    }
    return { task: 'JSON.parse + JSON.stringify of a 4 KB session', p50, drift: p50.max / p50.min }
  }
}
