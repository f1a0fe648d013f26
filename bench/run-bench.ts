import { cpus } from 'node:os'
import type { Adapter, OpenedStore } from '../adapters/_adapter.js'
import { BackendUnavailableError } from '../adapters/_backends/errors.js'
import { builtinAdapterNames, builtinAdapters } from '../adapters/index.js'
import { packageVersion } from '../adapters/_packages.js'
import { ConformanceError } from '../src/errors.js'
import { expressSession } from '../src/run-conformance.js'
import type { StoreInfo } from '../src/types.js'
import { tool } from '../src/version.js'
import { measure, type Measurement } from './measure.js'
import { OPERATIONS, prepareOperation, type OperationName } from './operations.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { acrossRuns, type AcrossRuns } from './stats.js'

export interface BenchOptions {
  /** Built-in store names. */
  readonly stores: readonly string[]
  readonly operations?: readonly OperationName[]
  readonly payloads?: readonly PayloadSize[]
  /** In-flight levels: 1 for latency, more for closed-loop throughput. @default [1, 64] */
  readonly concurrency?: readonly number[]
  /** Separate runs per measurement, store order rotated each time. @default 3 */
  readonly runs?: number
  /** Measuring time per measurement (ms). @default 100 */
  readonly timeMs?: number
  readonly onProgress?: (message: string, done: number, total: number) => void
}

/** One store × operation × payload × concurrency, over all runs. */
export interface BenchCell {
  readonly store: string
  readonly operation: OperationName
  readonly payload: PayloadSize
  readonly concurrency: number
  /** Each run's own statistics, kept so a later comparison can test across runs. */
  readonly runs: readonly Measurement[]
  /** Medians across runs (never averages of percentiles), with their spread. */
  readonly p50: AcrossRuns
  readonly p90: AcrossRuns
  readonly p99: AcrossRuns
  readonly opsPerSec: AcrossRuns
}

export interface BenchStore extends StoreInfo {
  readonly name: string
  /** Why this store was not measured (its backend is unavailable). */
  readonly unavailable?: string
}

export interface BenchReport {
  readonly schemaVersion: 1
  readonly tool: { readonly name: string; readonly version: string }
  readonly generatedAt: string
  readonly environment: { readonly node: string; readonly platform: string; readonly cpu: string; readonly cpus: number; readonly tinybench: string }
  readonly settings: { readonly runs: number; readonly timeMs: number; readonly concurrency: readonly number[]; readonly closedLoop: true }
  readonly stores: readonly BenchStore[]
  readonly cells: readonly BenchCell[]
}

/**
 * Measures each store's operations the way express-session drives them. Every measurement is
 * repeated in `runs` separate passes with the store order rotated, so no store always goes first
 * (tinybench#46); a cell reports the median of the per-run values and their spread.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const unknown = options.stores.filter((name) => !builtinAdapters[name])
  if (unknown.length > 0) {
    throw new ConformanceError('SC_BAD_OPTION', `unknown built-in store: ${unknown.join(', ')} (built-in: ${builtinAdapterNames.join(', ')})`)
  }
  const operations = options.operations ?? OPERATIONS
  const payloads = options.payloads ?? (Object.keys(PAYLOAD_BYTES) as PayloadSize[])
  const concurrency = options.concurrency ?? [1, 64]
  const runs = options.runs ?? 3
  const timeMs = options.timeMs ?? 100

  const opened: { adapter: Adapter; store: OpenedStore }[] = []
  const stores: BenchStore[] = []
  try {
    for (const name of options.stores) {
      const adapter = await (builtinAdapters[name] as () => Promise<Adapter>)()
      const info = { name, package: adapter.package, version: packageVersion(adapter.package), pinned: adapter.pinned }
      try {
        const store = await adapter.open({ session: expressSession })
        opened.push({ adapter, store })
        const backend = store.backend
        stores.push({ ...info, ...(backend ? { backend: { kind: backend.kind, source: backend.source, version: backend.version } } : {}) })
      } catch (error) {
        if (!(error instanceof BackendUnavailableError)) throw error
        stores.push({ ...info, unavailable: error.message })
      }
    }

    const plan = operations.flatMap((operation) => payloads.flatMap((payload) => concurrency.map((level) => ({ operation, payload, level }))))
    const total = plan.length * opened.length * runs
    const measurements = new Map<string, Measurement[]>()
    let done = 0
    for (let run = 0; run < runs; run++) {
      const order = opened.map((_, index) => opened[(index + run) % opened.length] as (typeof opened)[number])
      for (const { adapter, store } of order) {
        for (const { operation, payload, level } of plan) {
          options.onProgress?.(`run ${run + 1}/${runs} · ${adapter.name} · ${operation} · ${payload} · ×${level}`, done, total)
          const prepared = await prepareOperation(operation, { store: store.store, expressSession, payloadBytes: PAYLOAD_BYTES[payload], seed: run + 1 })
          try {
            const result = await measure(`${adapter.name} ${operation}`, prepared.fn, {
              timeMs,
              concurrency: level,
              warmupMs: Math.min(100, timeMs),
              ...(prepared.beforeEach ? { beforeEach: prepared.beforeEach } : {}),
            })
            const key = [adapter.name, operation, payload, level].join('|')
            measurements.set(key, [...(measurements.get(key) ?? []), result])
          } finally {
            await prepared.cleanup()
          }
          done += 1
        }
      }
    }

    const cells: BenchCell[] = []
    for (const { adapter } of opened) {
      for (const { operation, payload, level } of plan) {
        const runsOf = measurements.get([adapter.name, operation, payload, level].join('|')) ?? []
        cells.push({
          store: adapter.name,
          operation,
          payload,
          concurrency: level,
          runs: runsOf,
          p50: acrossRuns(runsOf.map((m) => m.latency.p50)),
          p90: acrossRuns(runsOf.map((m) => m.latency.p90)),
          p99: acrossRuns(runsOf.map((m) => m.latency.p99)),
          opsPerSec: acrossRuns(runsOf.map((m) => m.opsPerSec)),
        })
      }
    }
    const cpu = cpus()
    return {
      schemaVersion: 1,
      tool,
      generatedAt: new Date().toISOString(),
      environment: {
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpu: cpu[0]?.model ?? 'unknown',
        cpus: cpu.length,
        tinybench: packageVersion('tinybench'),
      },
      settings: { runs, timeMs, concurrency, closedLoop: true },
      stores,
      cells,
    }
  } finally {
    for (const { store } of opened) await store.close().catch(() => {})
  }
}
