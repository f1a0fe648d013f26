import { environment } from '../core/environment.js'
import { firstLineOf } from '../core/errors.js'
import { expressSession } from '../core/express-session.js'
import { packageVersion } from '../core/package-version.js'
import { tool } from '../core/version.js'
import { type BenchOptions, benchSettings, type ResolvedSettings } from './bench-options.js'
import { MeasurementLog } from './cells.js'
import { measureGrowth } from './growth.js'
import { MachineProbe } from './machine-probe.js'
import { measure } from './measure.js'
import { prepareOperation } from './operations.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { harnessPlan, type PlannedMeasurement, plan } from './plan.js'
import {
  BENCH_SCHEMA_VERSION,
  type BenchCell,
  type BenchFailure,
  type BenchReport,
  type BenchSettings,
} from './report.js'
import { rotate } from './rotate.js'
import { targetLabel } from './target-label.js'
import { closeTargets, type OpenedTarget, openStores, type Target, targetsOf } from './targets.js'
import { Workspace } from './workspace.js'

/** The machine probe runs before every few cells: often enough to see drift, cheap enough to ignore. */
const PROBE_EVERY = 4

/**
 * Measures each store's operations the way express-session drives them, next to the same
 * backend's raw client and a no-op target (the harness's own cost), in the same runs. Every
 * measurement is repeated in `runs` passes with the target order rotated, so no store always goes
 * first (tinybench#46); a cell reports the median of the per-run values and their spread.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const settings = benchSettings(options)
  const opened: OpenedTarget[] = []
  const workspaces = new Workspaces(settings.poolSize)
  try {
    const stores = await openStores(options.stores, opened, options.url)
    const measured = await measureCells(targetsOf(opened), settings, workspaces, options)
    await workspaces.cleanup()
    const growth = settings.growth
      ? await measureGrowth(
          opened.map(({ adapter, store }) => ({ name: adapter.name, store: store.store })),
          {
            ...settings.growth,
            runs: settings.runs,
            timeMs: settings.timeMs,
            warmupMs: settings.warmupMs,
            timeoutMs: settings.timeoutMs,
            expressSession,
            signal: options.signal,
            onProgress: (message) => options.onProgress?.(message, measured.done, measured.total),
          },
        )
      : { cells: [], failures: [] }
    return {
      schemaVersion: BENCH_SCHEMA_VERSION,
      tool,
      generatedAt: new Date().toISOString(),
      environment: {
        ...environment(),
        tinybench: packageVersion('tinybench'),
        expressSession: packageVersion('express-session'),
      },
      ...(measured.steadiness ? { steadiness: measured.steadiness } : {}),
      settings: withoutGuards(settings),
      stores,
      cells: measured.cells,
      growth: growth.cells,
      failures: [...measured.failures, ...growth.failures],
    }
  } finally {
    await workspaces.cleanup()
    await closeTargets(opened)
  }
}

/** The settings as the report states them: the conditions of the measurement, not its guards. */
function withoutGuards({ timeoutMs: _guard, ...settings }: ResolvedSettings): BenchSettings {
  return settings
}

export type { BenchOptions } from './bench-options.js'
export type { BenchCell, BenchReport, BenchStore } from './report.js'

/**
 * Cell by cell, every target in turn (rotated each run): a store and its raw baseline are
 * measured seconds apart, so a machine that drifts moves both and their ratio holds. A target that
 * fails a measurement is a finding: recorded, and the rest goes on.
 */
async function measureCells(
  targets: readonly Target[],
  settings: ResolvedSettings,
  workspaces: Workspaces,
  { onProgress, signal }: Pick<BenchOptions, 'onProgress' | 'signal'>,
) {
  const measurements = plan(settings)
  const harnessMeasurements = harnessPlan(measurements, settings)
  const planFor = (target: Target) => (target.target === 'harness' ? harnessMeasurements : measurements)
  const cellsInOrder = measurements.map((planned) => ({
    planned,
    targets: targets.filter((target) => planFor(target).includes(planned)),
  }))
  const log = new MeasurementLog()
  const failures: BenchFailure[] = []
  const probe = new MachineProbe()
  const total = targets.reduce((sum, target) => sum + planFor(target).length, 0) * settings.runs
  let done = 0
  for (let run = 0; run < settings.runs; run++) {
    for (const [index, { planned, targets: measured }] of cellsInOrder.entries()) {
      if (index % PROBE_EVERY === 0) probe.sample()
      for (const target of rotate(measured, run)) {
        signal?.throwIfAborted()
        const label = `${labelOf(target)} · ${planned.operation} · ${planned.payload} · ×${planned.concurrency}`
        onProgress?.(`run ${run + 1}/${settings.runs} · ${label}`, done, total)
        try {
          log.add(target.name, target.target, planned, await measureOne(target, planned, settings, workspaces, run + 1))
        } catch (error) {
          failures.push({
            store: target.name,
            target: target.target,
            ...planned,
            run: run + 1,
            error: firstLineOf(error),
          })
        }
        done += 1
      }
    }
  }
  const cells = targets.flatMap((target) =>
    planFor(target).map((planned) => log.cell(target.name, target.target, planned)),
  )
  return {
    cells: cells.filter((cell): cell is BenchCell => cell !== undefined),
    failures,
    steadiness: probe.result(),
    done,
    total,
  }
}

/** One target, one planned measurement, one run. */
async function measureOne(
  target: Target,
  planned: PlannedMeasurement,
  settings: ResolvedSettings,
  workspaces: Workspaces,
  run: number,
) {
  const prepared = await prepareOperation(planned.operation, workspaces.of(target, planned.payload), run)
  return measure(`${labelOf(target)} ${planned.operation}`, prepared.fn, {
    timeMs: settings.timeMs,
    concurrency: planned.concurrency,
    warmupMs: settings.warmupMs,
    stallMs: settings.timeoutMs,
    beforeEach: prepared.beforeEach,
  })
}

const labelOf = (target: Target) => targetLabel({ store: target.name, target: target.target })

/** One workspace per target and payload, seeded once and shared by every operation and run. */
class Workspaces {
  readonly #byKey = new Map<string, Workspace>()

  constructor(readonly poolSize: number) {}

  of(target: Target, payload: PayloadSize): Workspace {
    const key = `${target.name}|${target.target}|${payload}`
    let workspace = this.#byKey.get(key)
    if (!workspace) {
      const payloadBytes = PAYLOAD_BYTES[payload]
      workspace = new Workspace({
        calls: target.calls,
        store: target.opened.store,
        expressSession,
        payloadBytes,
        poolSize: this.poolSize,
      })
      this.#byKey.set(key, workspace)
    }
    return workspace
  }

  async cleanup(): Promise<void> {
    for (const workspace of this.#byKey.values()) await workspace.cleanup()
    this.#byKey.clear()
  }
}
