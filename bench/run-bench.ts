import type { Adapter, OpenedStore } from '../adapters/_adapter.js'
import { BackendUnavailableError } from '../adapters/_backends/errors.js'
import { assertBuiltinNames, loadAdapter } from '../adapters/index.js'
import { packageVersion } from '../adapters/_packages.js'
import { type Environment, environment } from '../src/environment.js'
import { expressSession } from '../src/run-conformance.js'
import type { StoreInfo } from '../src/types.js'
import { tool } from '../src/version.js'
import { measure, type Measurement } from './measure.js'
import { OPERATIONS, prepareOperation, storeCalls, type OperationName, type StoreCalls } from './operations.js'
import { openRawBaseline, type RawBaseline } from './raw.js'
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
  /** Measuring time per measurement (ms). @default 50 */
  readonly timeMs?: number
  readonly onProgress?: (message: string, done: number, total: number) => void
}

/** One store × operation × payload × concurrency, over all runs. */
export interface BenchCell {
  readonly store: string
  /** The store itself, or the same backend's raw client (the baseline). */
  readonly target: 'store' | 'raw'
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
  /** Store cells: median p50 of the store ÷ median p50 of its raw baseline, measured in the same runs. */
  readonly overhead?: number
}

export interface BenchStore extends StoreInfo {
  readonly name: string
  /** Why this store was not measured (its backend is unavailable). */
  readonly unavailable?: string
  /** The raw baseline measured next to it, if there is one. */
  readonly baseline?: string
}

export interface BenchReport {
  readonly schemaVersion: 1
  readonly tool: { readonly name: string; readonly version: string }
  readonly generatedAt: string
  readonly environment: Environment & { readonly tinybench: string }
  readonly settings: {
    readonly runs: number
    readonly timeMs: number
    readonly concurrency: readonly number[]
    readonly closedLoop: true
    /** The payload the higher concurrency levels are measured at (sizes are swept at the lowest). */
    readonly loadPayload: PayloadSize
  }
  readonly stores: readonly BenchStore[]
  readonly cells: readonly BenchCell[]
}

/**
 * Measures each store's operations the way express-session drives them. Every measurement is
 * repeated in `runs` separate passes with the store order rotated, so no store always goes first
 * (tinybench#46); a cell reports the median of the per-run values and their spread.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  assertBuiltinNames(options.stores)
  const operations = options.operations ?? OPERATIONS
  const payloads = options.payloads ?? (Object.keys(PAYLOAD_BYTES) as PayloadSize[])
  const concurrency = options.concurrency ?? [1, 64]
  const runs = options.runs ?? 3
  const timeMs = options.timeMs ?? 50

  const opened: { adapter: Adapter; store: OpenedStore; raw: RawBaseline | undefined }[] = []
  const stores: BenchStore[] = []
  try {
    for (const name of options.stores) {
      const adapter = await loadAdapter(name)
      const info = { name, package: adapter.package, version: packageVersion(adapter.package), pinned: adapter.pinned }
      try {
        const store = await adapter.open({ session: expressSession })
        // Listed before the baseline opens, so the finally below closes it even if that fails.
        const entry: (typeof opened)[number] = { adapter, store, raw: undefined }
        opened.push(entry)
        const raw = (entry.raw = await openRawBaseline(name, store))
        const backend = store.backend
        stores.push({
          ...info,
          ...(backend ? { backend: { kind: backend.kind, source: backend.source, version: backend.version } } : {}),
          ...(raw ? { baseline: raw.describes } : {}),
        })
      } catch (error) {
        if (!(error instanceof BackendUnavailableError)) throw error
        stores.push({ ...info, unavailable: error.message })
      }
    }

    // Payload sizes are swept at the lowest concurrency (latency); load runs use one reference size.
    const lowest = Math.min(...concurrency)
    const loadPayload = payloads.includes('4KB') ? '4KB' : (payloads[0] as PayloadSize)
    const plan = operations.flatMap((operation) =>
      concurrency.flatMap((level) => (level === lowest ? payloads : [loadPayload]).map((payload) => ({ operation, payload, level }))),
    )
    const targets = opened.flatMap(({ adapter, store, raw }) => [
      { name: adapter.name, target: 'store' as const, calls: storeCalls(store.store), store },
      ...(raw ? [{ name: adapter.name, target: 'raw' as const, calls: raw as StoreCalls, store }] : []),
    ])
    const total = plan.length * targets.length * runs
    const measurements = new Map<string, Measurement[]>()
    let done = 0
    for (let run = 0; run < runs; run++) {
      const order = targets.map((_, index) => targets[(index + run) % targets.length] as (typeof targets)[number])
      for (const { name, target, calls, store } of order) {
        for (const { operation, payload, level } of plan) {
          options.onProgress?.(`run ${run + 1}/${runs} · ${name}${target === 'raw' ? ' (raw)' : ''} · ${operation} · ${payload} · ×${level}`, done, total)
          const prepared = await prepareOperation(operation, {
            target: calls,
            store: store.store,
            expressSession,
            payloadBytes: PAYLOAD_BYTES[payload],
            seed: run + 1,
          })
          try {
            const result = await measure(`${name} ${target} ${operation}`, prepared.fn, {
              timeMs,
              concurrency: level,
              warmupMs: Math.min(50, timeMs / 2),
              ...(prepared.beforeEach ? { beforeEach: prepared.beforeEach } : {}),
            })
            const key = [name, target, operation, payload, level].join('|')
            measurements.set(key, [...(measurements.get(key) ?? []), result])
          } finally {
            await prepared.cleanup()
          }
          done += 1
        }
      }
    }

    const cells: BenchCell[] = []
    const cellOf = (name: string, target: 'store' | 'raw', operation: OperationName, payload: PayloadSize, level: number) => {
      const runsOf = measurements.get([name, target, operation, payload, level].join('|'))
      return runsOf && runsOf.length > 0 ? runsOf : undefined
    }
    for (const { name, target } of targets) {
      for (const { operation, payload, level } of plan) {
        const runsOf = cellOf(name, target, operation, payload, level) ?? []
        const raw = target === 'store' ? cellOf(name, 'raw', operation, payload, level) : undefined
        const p50 = acrossRuns(runsOf.map((m) => m.latency.p50))
        cells.push({
          store: name,
          target,
          operation,
          payload,
          concurrency: level,
          runs: runsOf,
          p50,
          p90: acrossRuns(runsOf.map((m) => m.latency.p90)),
          p99: acrossRuns(runsOf.map((m) => m.latency.p99)),
          opsPerSec: acrossRuns(runsOf.map((m) => m.opsPerSec)),
          ...(raw ? { overhead: p50.median / acrossRuns(raw.map((m) => m.latency.p50)).median } : {}),
        })
      }
    }
    return {
      schemaVersion: 1,
      tool,
      generatedAt: new Date().toISOString(),
      environment: { ...environment(), tinybench: packageVersion('tinybench') },
      settings: { runs, timeMs, concurrency, closedLoop: true, loadPayload },
      stores,
      cells,
    }
  } finally {
    for (const { store, raw } of opened) {
      await raw?.close().catch(() => {})
      await store.close().catch(() => {})
    }
  }
}
