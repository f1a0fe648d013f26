import type { Adapter, OpenedStore } from '../adapters/_adapter.js'
import { BackendUnavailableError } from '../adapters/_backends/errors.js'
import { assertBuiltinNames, loadAdapter } from '../adapters/index.js'
import { packageVersion } from '../adapters/_packages.js'
import { environment } from '../src/environment.js'
import { ConformanceError, firstLineOf } from '../src/errors.js'
import { expressSession } from '../src/run-conformance.js'
import { tool } from '../src/version.js'
import { MeasurementLog } from './cells.js'
import { targetLabel } from './format.js'
import { measureGrowth } from './growth.js'
import { MachineProbe, type MachineSteadiness } from './machine-probe.js'
import { measure } from './measure.js'
import { MIXES, type RequestMix } from './mix.js'
import { OPERATIONS, prepareOperation, type OperationName } from './operations.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { harnessPlan, plan } from './plan.js'
import { openRawBaseline, type RawBaseline } from './raw/index.js'
import { BENCH_SCHEMA_VERSION, type BenchCell, type BenchFailure, type BenchReport, type BenchStore, type BenchTarget } from './report.js'
import { noopCalls, storeCalls, type StoreCalls } from './store-calls.js'
import { Workspace } from './workspace.js'
import { rotate } from './rotate.js'

export interface BenchOptions {
  /** Built-in store names, or adapters of your own (see adapters/_adapter.ts). */
  readonly stores: readonly (string | Adapter)[]
  readonly operations?: readonly OperationName[]
  readonly payloads?: readonly PayloadSize[]
  /** In-flight levels: 1 for latency, more for closed-loop throughput. @default [1, 64] */
  readonly concurrency?: readonly number[]
  /** Request mixes, measured at the load payload at every level. @default read-heavy, write-heavy */
  readonly mixes?: readonly RequestMix[]
  /** Separate runs per measurement, target order rotated each time. @default 4 */
  readonly runs?: number
  /** Measuring time per measurement (ms). @default 30 */
  readonly timeMs?: number
  /** Stored-session counts to measure get/length/all at (e.g. 1000, 10000, 100000); none by default. */
  readonly growth?: readonly number[]
  /** Pre-seeded sessions per target and payload. @default 100 */
  readonly poolSize?: number
  readonly onProgress?: (message: string, done: number, total: number) => void
}

export type { BenchCell, BenchReport, BenchStore } from './report.js'

/** Four runs: the fewest for which a Mann–Whitney U test of 4 against 4 can reach p < 0.05 (2/70, the gate). */
export const DEFAULT_RUNS = 4
export const DEFAULT_TIME_MS = 30

interface Target {
  readonly name: string
  readonly target: BenchTarget
  readonly calls: StoreCalls
  readonly opened: OpenedStore
}

/** The no-op target builds its sessions on MemoryStore's createSession, as express-session would. */
const harnessStore = { store: new expressSession.MemoryStore() as never, close: async () => {} } satisfies OpenedStore

/**
 * Measures each store's operations the way express-session drives them, next to the same
 * backend's raw client and a no-op target (the harness's own cost), in the same runs. Every
 * measurement is repeated in `runs` passes with the target order rotated, so no store always goes
 * first (tinybench#46); a cell reports the median of the per-run values and their spread.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  assertBuiltinNames(options.stores.filter((store): store is string => typeof store === 'string'))
  assertDistinct(options)
  const payloads = options.payloads ?? (Object.keys(PAYLOAD_BYTES) as PayloadSize[])
  const settings = {
    runs: options.runs ?? DEFAULT_RUNS,
    timeMs: options.timeMs ?? DEFAULT_TIME_MS,
    warmupMs: Math.min(15, (options.timeMs ?? DEFAULT_TIME_MS) / 2),
    operations: options.operations ?? OPERATIONS,
    payloads,
    concurrency: options.concurrency ?? [1, 64],
    closedLoop: true as const,
    loadPayload: payloads.includes('4KB') ? ('4KB' as const) : (payloads[0] as PayloadSize),
    mixes: options.mixes ?? Object.values(MIXES),
    poolSize: options.poolSize ?? 100,
    ...(options.growth && options.growth.length > 0 ? { growth: { sessions: options.growth, payload: '256B' as const } } : {}),
  }

  const opened: { adapter: Adapter; store: OpenedStore; raw: RawBaseline | undefined }[] = []
  const workspaces = new Map<string, Workspace>()
  try {
    const stores = await openStores(options.stores, opened)
    const measurements = plan(settings)
    const targets: Target[] = [
      ...opened.flatMap(({ adapter, store, raw }) => [
        { name: adapter.name, target: 'store' as const, calls: storeCalls(store.store), opened: store },
        ...(raw ? [{ name: adapter.name, target: 'raw' as const, calls: raw, opened: store }] : []),
      ]),
      { name: 'no-op', target: 'harness', calls: noopCalls, opened: harnessStore },
    ]
    const harnessMeasurements = harnessPlan(measurements, settings)
    const planFor = (target: Target) => (target.target === 'harness' ? harnessMeasurements : measurements)
    const workspaceFor = (target: Target, payload: PayloadSize) => {
      const key = `${target.name}|${target.target}|${payload}`
      let workspace = workspaces.get(key)
      if (!workspace) {
        const { calls, opened: { store } } = target
        workspace = new Workspace({ calls, store, expressSession, payloadBytes: PAYLOAD_BYTES[payload], poolSize: settings.poolSize })
        workspaces.set(key, workspace)
      }
      return workspace
    }

    const log = new MeasurementLog()
    const failures: BenchFailure[] = []
    const probe = new MachineProbe()
    const total = targets.reduce((sum, target) => sum + planFor(target).length, 0) * settings.runs
    let done = 0
    // Cell by cell, every target in turn (rotated each run): a store and its raw baseline are
    // measured seconds apart, so a machine that drifts moves both and their ratio holds.
    const cellsInOrder = measurements.map((planned) => ({ planned, targets: targets.filter((target) => planFor(target).includes(planned)) }))
    for (let run = 0; run < settings.runs; run++) {
      for (const [index, { planned, targets: measured }] of cellsInOrder.entries()) {
        if (index % PROBE_EVERY === 0) probe.sample()
        for (const target of rotate(measured, run)) {
          options.onProgress?.(`run ${run + 1}/${settings.runs} · ${describe(target)} · ${planned.operation} · ${planned.payload} · ×${planned.concurrency}`, done, total)
          try {
            const prepared = await prepareOperation(planned.operation, workspaceFor(target, planned.payload), run + 1)
            const result = await measure(`${describe(target)} ${planned.operation}`, prepared.fn, {
              timeMs: settings.timeMs,
              concurrency: planned.concurrency,
              warmupMs: settings.warmupMs,
              ...(prepared.beforeEach ? { beforeEach: prepared.beforeEach } : {}),
            })
            log.add(target.name, target.target, planned, result)
          } catch (error) {
            // A store that fails under the bench is a finding: recorded, and the rest goes on.
            failures.push({ store: target.name, target: target.target, ...planned, run: run + 1, error: firstLineOf(error) })
          }
          done += 1
        }
      }
    }
    const cells = targets.flatMap((target) => planFor(target).map((planned) => log.cell(target.name, target.target, planned)))

    await cleanup(workspaces)
    const growth = settings.growth
      ? await measureGrowth(
          opened.map(({ adapter, store }) => ({ name: adapter.name, store: store.store })),
          { ...settings.growth, runs: settings.runs, timeMs: settings.timeMs, warmupMs: settings.warmupMs, expressSession, onProgress: (message) => options.onProgress?.(message, done, total) },
        )
      : { cells: [], failures: [] }
    return {
      schemaVersion: BENCH_SCHEMA_VERSION,
      tool,
      generatedAt: new Date().toISOString(),
      environment: { ...environment(), tinybench: packageVersion('tinybench'), expressSession: packageVersion('express-session') },
      ...withSteadiness(probe.result()),
      settings,
      stores,
      cells: cells.filter((cell): cell is BenchCell => cell !== undefined),
      growth: growth.cells,
      failures: [...failures, ...growth.failures],
    }
  } finally {
    await cleanup(workspaces)
    for (const { store, raw } of opened) {
      await raw?.close().catch(() => {})
      await store.close().catch(() => {})
    }
  }
}

/** Opens each store and its raw baseline; a store whose backend is unavailable is reported, not measured. */
async function openStores(names: readonly (string | Adapter)[], opened: { adapter: Adapter; store: OpenedStore; raw: RawBaseline | undefined }[]): Promise<BenchStore[]> {
  const stores: BenchStore[] = []
  for (const entry of names) {
    const adapter = typeof entry === 'string' ? await loadAdapter(entry) : entry
    const name = adapter.name
    const info = { name, package: adapter.package, version: packageVersion(adapter.package), pinned: adapter.pinned, isolation: adapter.isolation }
    try {
      const store = await adapter.open({ session: expressSession })
      // Listed before the baseline opens, so the caller's finally closes it even if that fails.
      const slot: (typeof opened)[number] = { adapter, store, raw: undefined }
      opened.push(slot)
      // A baseline that cannot open (say, no right to create a schema) costs the ratio, not the store.
      let baselineError: string | undefined
      const raw = (slot.raw =
        typeof entry === 'string'
          ? await openRawBaseline(name, store).catch((error: unknown) => void (baselineError = firstLineOf(error)))
          : undefined)
      const backend = store.backend
      stores.push({
        ...info,
        ...(backend ? { backend: { kind: backend.kind, source: backend.source, version: backend.version } } : {}),
        ...(raw ? { baseline: raw.describes } : {}),
        ...(baselineError ? { baselineError } : {}),
      })
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error
      stores.push({ ...info, unavailable: error.message })
    }
  }
  return stores
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
  ]
  for (const [name, values] of lists) {
    const repeated = (values ?? []).filter((value, index, all) => all.indexOf(value) !== index)
    if (repeated.length > 0) throw new ConformanceError('SC_BAD_OPTION', `${name}: ${[...new Set(repeated)].join(', ')} given more than once`)
  }
}

/** The machine probe runs before every few cells: often enough to see drift, cheap enough to ignore. */
const PROBE_EVERY = 4

const withSteadiness = (steadiness: MachineSteadiness | undefined) => (steadiness ? { steadiness } : {})

async function cleanup(workspaces: Map<string, Workspace>): Promise<void> {
  for (const workspace of workspaces.values()) await workspace.cleanup()
  workspaces.clear()
}

const describe = (target: Target) => targetLabel({ store: target.name, target: target.target })
