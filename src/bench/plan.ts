import type { RequestMix } from './mix.js'
import type { BenchOperation, OperationName } from './operations.js'
import type { PayloadSize } from './payloads.js'

/** One measurement to take on every target in every run. */
export interface PlannedMeasurement {
  readonly operation: BenchOperation
  readonly payload: PayloadSize
  readonly concurrency: number
}

export interface PlanOptions {
  readonly operations: readonly OperationName[]
  readonly payloads: readonly PayloadSize[]
  readonly concurrency: readonly number[]
  readonly mixes: readonly RequestMix[]
  readonly loadPayload: PayloadSize
}

/**
 * What is measured: each operation at every payload at the lowest concurrency (latency), and at
 * the load payload at the higher ones (throughput); each request mix at the load payload at
 * every level. Sweeping sizes only where they change the answer keeps a default run short.
 */
export function plan(options: PlanOptions): PlannedMeasurement[] {
  const lowest = Math.min(...options.concurrency)
  const operations = options.operations.flatMap((operation) =>
    options.concurrency.flatMap((concurrency) =>
      (concurrency === lowest ? options.payloads : [options.loadPayload]).map((payload) => ({
        operation,
        payload,
        concurrency,
      })),
    ),
  )
  const mixes = options.mixes.flatMap((mix) =>
    options.concurrency.map((concurrency) => ({
      operation: `mix:${mix.name}` as const,
      payload: options.loadPayload,
      concurrency,
    })),
  )
  return [...operations, ...mixes]
}

/** The harness's own cost is measured once per operation, at the lowest concurrency and the load payload. */
export function harnessPlan(measurements: readonly PlannedMeasurement[], options: PlanOptions): PlannedMeasurement[] {
  const lowest = Math.min(...options.concurrency)
  return measurements.filter((entry) => entry.concurrency === lowest && entry.payload === options.loadPayload)
}
