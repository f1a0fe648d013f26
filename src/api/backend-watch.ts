import { performance } from 'node:perf_hooks'
import { withDeadline } from '../core/deadline.js'
import { messageOf } from '../core/errors.js'
import type { BackendFaults } from '../core/runner/run-checks.js'
import { clearInterval, setInterval } from '../core/timers.js'
import type { RunProblem } from '../core/types.js'

/** How often the backend is asked who it is while the checks run. */
const PROBE_EVERY_MS = 1000
/** A backend that takes longer than this to say who it is is stalled, as far as the checks are concerned. */
const PROBE_TIMEOUT_MS = 2000
/** Samples kept: enough for a ten-minute run. */
const MAX_SAMPLES = 600

interface Sample {
  readonly at: number
  readonly instance?: string
  readonly error?: string
}

interface Fault {
  readonly from: number
  readonly to: number
  readonly reason: string
}

/**
 * Watches the backend through a connection of its own: before the checks, every second while
 * they run, and after. If another server process answers (it restarted and lost its data) or
 * none does in time (it stopped or stalled), the checks that failed meanwhile are the backend's
 * fault, not the store's, and the run says so plainly.
 */
export class BackendWatch implements BackendFaults {
  readonly #samples: Sample[] = []
  #timer: NodeJS.Timeout | undefined
  #probing: Promise<void> = Promise.resolve()
  #settled: readonly Fault[] = []

  constructor(
    readonly kind: string,
    readonly identify: (timeoutMs: number) => Promise<string>,
  ) {}

  async start(): Promise<void> {
    await this.#probe()
    this.#timer = setInterval(() => {
      this.#probing = this.#probing.then(() => this.#probe())
    }, PROBE_EVERY_MS)
    this.#timer.unref()
  }

  /** The last probe, after which the faults are known once: every failed check asks about them. */
  async settle(): Promise<void> {
    clearInterval(this.#timer)
    await this.#probing
    await this.#probe()
    this.#settled = this.#faults()
  }

  faultDuring(from: number, to: number): string | undefined {
    return this.#settled.find((fault) => fault.from < to && fault.to > from)?.reason
  }

  problems(): RunProblem[] {
    const reasons = [...new Set(this.#settled.map((fault) => fault.reason))]
    return reasons.map((reason) => ({
      kind: 'backend-fault',
      message: `${reason}; checks that failed meanwhile are reported as backend faults, not store failures`,
    }))
  }

  async #probe(): Promise<void> {
    const at = performance.now()
    const sample = await withDeadline(this.identify(PROBE_TIMEOUT_MS), PROBE_TIMEOUT_MS + 500, 'no answer').then(
      (instance): Sample => ({ at, instance }),
      (error: unknown): Sample => ({ at, error: messageOf(error) }),
    )
    if (this.#samples.length < MAX_SAMPLES) this.#samples.push(sample)
  }

  /** Windows in which the backend was not the one the run started with, or did not answer. */
  #faults(): Fault[] {
    const faults: Fault[] = []
    let expected = this.#samples.find((sample) => sample.instance !== undefined)?.instance
    let lastGood = 0
    let outage: { from: number; error: string } | undefined
    for (const sample of this.#samples) {
      if (sample.instance === undefined) {
        outage ??= { from: lastGood, error: sample.error ?? 'no answer' }
        continue
      }
      if (outage) {
        faults.push({ from: outage.from, to: sample.at, reason: `${this.kind} did not answer (${outage.error})` })
        outage = undefined
      }
      if (expected !== undefined && !sameInstance(expected, sample.instance)) {
        faults.push({
          from: lastGood,
          to: sample.at,
          reason: `${this.kind} restarted during the run (its data was lost)`,
        })
        expected = sample.instance
      }
      lastGood = sample.at
    }
    if (outage)
      faults.push({
        from: outage.from,
        to: Number.POSITIVE_INFINITY,
        reason: `${this.kind} stopped answering (${outage.error})`,
      })
    return faults
  }
}

/** Word by word; numbers (start times in seconds) within a second of each other are the same. */
export function sameInstance(a: string, b: string): boolean {
  const left = a.split(/\s+/)
  const right = b.split(/\s+/)
  return (
    left.length === right.length &&
    left.every((word, index) => {
      const other = right[index] as string
      const [x, y] = [Number(word), Number(other)]
      return word === other || (Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= 1)
    })
  )
}
