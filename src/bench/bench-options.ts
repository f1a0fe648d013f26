import { assertBuiltinNames, backendOf } from '../backends/index.js'
import type { Adapter } from '../backends/types.js'
import { ConformanceError } from '../core/errors.js'
import { CONFIDENCE } from './interval.js'
import { SIGNIFICANT_DIGITS } from './latency.js'
import { MIXES, type RequestMix } from './mix.js'
import { OPERATIONS, type OperationName } from './operations.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import type { BenchSettings } from './report.js'

/** One window per side of a cell: long enough for a steady p50, short enough that a pair sees one machine speed. */
export const DEFAULT_WINDOW_MS = 25
/** A cell stops once its p50s and ratio are known to ±5 % at 95 %… */
export const DEFAULT_TARGET_PCT = 5
/** …or after this long, reported unresolved with its intervals. */
export const DEFAULT_CELL_CAP_MS = 1300
/** An open-loop window is this many windows long: enough arrivals at a modest rate for a p99. */
const OPEN_LOOP_WINDOWS = 8
/** One call in flight (latency) and 64 (closed-loop throughput). */
export const DEFAULT_CONCURRENCY: readonly number[] = [1, 64]
export const DEFAULT_POOL_SIZE = 100
/** How long a measurement waits for a call to settle before it fails instead of hanging. */
export const DEFAULT_BENCH_TIMEOUT_MS = 10_000
/** Stored-session counts the cost growth is measured at when none are given. */
export const DEFAULT_GROWTH: readonly number[] = [1000, 10_000, 100_000]
/** The session size growth fills a store with: small, so 100 k sessions stay affordable. */
const GROWTH_PAYLOAD: PayloadSize = '256B'
/** `quick`: shorter windows and a low cap at one payload: more cells come out unresolved. */
export const QUICK = { windowMs: 10, cellCapMs: 160, payloads: ['4KB'] } as const satisfies Partial<BenchOptions>

export interface BenchOptions {
  /** Built-in store names, or adapters of your own (see backends/types.ts). */
  readonly stores: readonly (string | Adapter)[]
  readonly operations?: readonly OperationName[]
  /** Session sizes swept one call at a time. @default every size: 256B, 4KB, 64KB */
  readonly payloads?: readonly PayloadSize[]
  /** In-flight levels: 1 for latency, more for closed-loop throughput. @default [1, 64] */
  readonly concurrency?: readonly number[]
  /** Request mixes, measured at the load payload at every level. @default read-heavy, write-heavy */
  readonly mixes?: readonly RequestMix[]
  /** How long one window measures one side of a cell (ms). @default 25 (quick: 10) */
  readonly windowMs?: number
  /** A cell is resolved once its p50s and × raw ratio are known to ±this % at 95 %. @default 5 */
  readonly targetPct?: number
  /** How long a cell may sample before it is reported unresolved (ms). @default 1300 (quick: 160) */
  readonly cellCapMs?: number
  /**
   * Open loop: call rates (calls/s) to offer the first request mix (get-hit without one) at, store
   * and raw client alike; several are a saturation sweep. None by default.
   */
  readonly rates?: readonly number[]
  /** Stored-session counts to measure get/length/all at (e.g. 1000, 10000, 100000); none by default. */
  readonly growth?: readonly number[]
  /** Pre-seeded sessions per target and payload. @default 100 */
  readonly poolSize?: number
  /** Shorter windows and a lower cap at the 4 KB payload only, for whatever is not given: about six times faster. */
  readonly quick?: boolean
  /** The backend's URL, for stores on one backend kind (overrides REDIS_URL, DATABASE_URL, …). */
  readonly url?: string | undefined
  /** A measurement fails when no call settles for this long (ms). @default 10000 */
  readonly timeoutMs?: number | undefined
  readonly onProgress?: (message: string, done: number, total: number) => void
  /** Aborting it stops the bench at the next measurement; what it wrote is removed and it rejects with the reason. */
  readonly signal?: AbortSignal
}

/**
 * Checks the options and fills in the defaults: what a run will do, as its report states it.
 * Called before anything is opened or written, so bad input costs nothing.
 */
export function benchSettings(options: BenchOptions): ResolvedSettings {
  assertBuiltinNames(options.stores.filter((store): store is string => typeof store === 'string'))
  assertDistinct(options)
  if (options.url !== undefined) assertOneBackend(options.stores)
  if (options.payloads) assertPayloads(options.payloads, 'payloads')
  assertMeasuring(options)
  const quick = options.quick === true
  const payloads = options.payloads ?? (quick ? QUICK.payloads : (Object.keys(PAYLOAD_BYTES) as PayloadSize[]))
  const windowMs = options.windowMs ?? (quick ? QUICK.windowMs : DEFAULT_WINDOW_MS)
  const growth = options.growth && options.growth.length > 0 ? options.growth : undefined
  return {
    windowMs,
    warmupMs: windowMs / 2,
    targetPct: options.targetPct ?? DEFAULT_TARGET_PCT,
    cellCapMs: options.cellCapMs ?? (quick ? QUICK.cellCapMs : DEFAULT_CELL_CAP_MS),
    confidence: CONFIDENCE,
    significantDigits: SIGNIFICANT_DIGITS,
    operations: options.operations ?? OPERATIONS,
    payloads,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    closedLoop: true,
    loadPayload: payloads.includes('4KB') ? '4KB' : (payloads[0] as PayloadSize),
    mixes: options.mixes ?? Object.values(MIXES),
    poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    growth: growth && { sessions: growth, payload: GROWTH_PAYLOAD },
    quick,
    ...(options.rates && options.rates.length > 0
      ? {
          openLoop: {
            rates: [...options.rates].sort((a, b) => a - b),
            operation: (options.mixes ?? Object.values(MIXES))[0]
              ? (`mix:${((options.mixes ?? Object.values(MIXES))[0] as RequestMix).name}` as const)
              : ('get-hit' as const),
            windowMs: OPEN_LOOP_WINDOWS * windowMs,
          },
        }
      : {}),
    timeoutMs: options.timeoutMs ?? DEFAULT_BENCH_TIMEOUT_MS,
  }
}

/** A URL names one server: every store it is given to must be on that one kind of backend. */
function assertOneBackend(stores: readonly (string | Adapter)[]): void {
  const kinds = new Set(
    stores.map((store) =>
      typeof store === 'string' ? (backendOf(store)?.name ?? store) : (store.backend ?? store.name),
    ),
  )
  if (kinds.size > 1) {
    throw new ConformanceError(
      'SC_BAD_OPTION',
      `--url names one backend, and these stores are on ${[...kinds].join(', ')}: bench one backend per run with --url`,
    )
  }
}

/** The settings a run goes by: what its report states, with the operations it plans. */
export type ResolvedSettings = BenchSettings & {
  readonly operations: readonly OperationName[]
  /** Not in the report: how long a call may take is a guard, not a condition of the measurement. */
  readonly timeoutMs: number
}

/** Throws SC_BAD_OPTION unless every entry is a payload size the bench knows. */
export function assertPayloads(values: readonly string[], what: string): asserts values is readonly PayloadSize[] {
  const sizes = Object.keys(PAYLOAD_BYTES)
  const unknown = values.filter((size) => !sizes.includes(size))
  if (unknown.length > 0) {
    throw new ConformanceError('SC_BAD_OPTION', `${what}: unknown size ${unknown.join(', ')} (use ${sizes.join(', ')})`)
  }
}

/** The sampling options a caller of the API may get wrong (the CLI checks its flags before this). */
function assertMeasuring(options: BenchOptions): void {
  const positive = (value: number | undefined) => value === undefined || (Number.isFinite(value) && value > 0)
  const problems = [
    !positive(options.windowMs) && `windowMs must be a positive number of ms, got ${options.windowMs}`,
    !positive(options.cellCapMs) && `cellCapMs must be a positive number of ms, got ${options.cellCapMs}`,
    options.targetPct !== undefined &&
      !(options.targetPct >= 0.5 && options.targetPct <= 50) &&
      `targetPct must be a percentage from 0.5 to 50, got ${options.targetPct}`,
    options.rates?.some((rate) => !positive(rate)) && `rates must be positive calls per second, got ${options.rates}`,
  ].filter((problem): problem is string => typeof problem === 'string')
  if (problems.length > 0) throw new ConformanceError('SC_BAD_OPTION', problems.join('; '))
}

/** Every list names each thing once: a repeat would double a cell's runs and fool the gate. */
function assertDistinct(options: BenchOptions): void {
  const lists: [string, readonly unknown[] | undefined][] = [
    ['stores', options.stores.map((store) => (typeof store === 'string' ? store : store.name))],
    ['operations', options.operations],
    ['payloads', options.payloads],
    ['concurrency', options.concurrency],
    ['mixes', options.mixes?.map((mix) => mix.name)],
    ['growth', options.growth],
    ['rates', options.rates],
  ]
  for (const [name, values] of lists) {
    const repeated = (values ?? []).filter((value, index, all) => all.indexOf(value) !== index)
    if (repeated.length > 0) {
      throw new ConformanceError('SC_BAD_OPTION', `${name}: ${[...new Set(repeated)].join(', ')} given more than once`)
    }
  }
}
