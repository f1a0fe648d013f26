import type { Measurement } from './measure.js'
import type { PlannedMeasurement } from './plan.js'
import type { BenchCell, BenchTarget } from './report.js'
import { acrossRuns } from './stats.js'

/** Each run's measurements, filed by target and planned measurement. */
export class MeasurementLog {
  readonly #runs = new Map<string, Measurement[]>()

  add(store: string, target: BenchTarget, planned: PlannedMeasurement, measurement: Measurement): void {
    const key = keyOf(store, target, planned)
    this.#runs.set(key, [...(this.#runs.get(key) ?? []), measurement])
  }

  runsOf(store: string, target: BenchTarget, planned: PlannedMeasurement): readonly Measurement[] {
    return this.#runs.get(keyOf(store, target, planned)) ?? []
  }

  /** The cell: medians across runs (percentiles are never averaged), and for a store, its raw baseline's ratio. */
  cell(store: string, target: BenchTarget, planned: PlannedMeasurement): BenchCell | undefined {
    const runs = this.runsOf(store, target, planned)
    if (runs.length === 0) return undefined
    const p50 = acrossRuns(runs.map((run) => run.latency.p50))
    const p999 = runs.map((run) => run.latency.p999)
    const raw = target === 'store' ? this.runsOf(store, 'raw', planned) : []
    return {
      store,
      target,
      ...planned,
      runs,
      p50,
      p90: acrossRuns(runs.map((run) => run.latency.p90)),
      p99: acrossRuns(runs.map((run) => run.latency.p99)),
      ...(p999.every((value) => value !== undefined) ? { p999: acrossRuns(p999 as number[]) } : {}),
      opsPerSec: acrossRuns(runs.map((run) => run.opsPerSec)),
      ...(raw.length > 0
        ? {
            overhead: p50.median / acrossRuns(raw.map((run) => run.latency.p50)).median,
            rawOpsPerSec: acrossRuns(raw.map((run) => run.opsPerSec)).median,
          }
        : {}),
    }
  }
}

function keyOf(store: string, target: BenchTarget, { operation, payload, concurrency }: PlannedMeasurement): string {
  return [store, target, operation, payload, concurrency].join('|')
}
