import { environment } from '../core/environment.js'
import { firstLineOf } from '../core/errors.js'
import { expressSession } from '../core/express-session.js'
import { packageVersion } from '../core/package-version.js'
import { tool } from '../core/version.js'
import { type MeasureWindow, type Sampled, sampleInRounds, WindowFailed } from './adaptive.js'
import { type BenchOptions, benchSettings, type ResolvedSettings } from './bench-options.js'
import { headlineOf, type SideFigures, sidesOf } from './cells.js'
import { collectGarbage } from './collect-garbage.js'
import { measureGrowth } from './growth.js'
import { MachineProbe } from './machine-probe.js'
import { measure } from './measure.js'
import { type OpenLoopMeasurement, openLoop } from './open-loop.js'
import { type PreparedOperation, prepareOperation } from './operations.js'
import { PAYLOAD_BYTES, type PayloadSize } from './payloads.js'
import { harnessPlan, type PlannedMeasurement, plan } from './plan.js'
import {
  BENCH_SCHEMA_VERSION,
  type BenchCell,
  type BenchFailure,
  type BenchReport,
  type BenchSettings,
  type OpenLoopCell,
} from './report.js'
import { targetLabel } from './target-label.js'
import { closeTargets, type OpenedTarget, openStores, storesWithRaw, type Target, targetsOf } from './targets.js'
import { Workspace } from './workspace.js'

const TARGET_ORDER: readonly BenchCell['target'][] = ['store', 'raw', 'harness']

/** The machine probe runs before every few cells: often enough to see drift, cheap enough to ignore. */
const PROBE_EVERY = 4

/**
 * Measures each store's operations the way express-session drives them, next to the same
 * backend's raw client and a no-op target (the harness's own cost), in the same cells. Each cell
 * is sampled in windows until its figures are known to ±targetPct % at 95 % or its cap is
 * reached; every figure is a median over windows with its interval.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const settings = benchSettings(options)
  const opened: OpenedTarget[] = []
  const workspaces = new Workspaces(settings.poolSize)
  try {
    const stores = await openStores(options.stores, opened, options.url)
    const measured = await measureCells(targetsOf(opened), settings, workspaces, options)
    const openLoop = settings.openLoop
      ? await measureOpenLoop(targetsOf(opened), settings, workspaces, options)
      : { cells: [], failures: [] }
    await workspaces.cleanup()
    const growth = settings.growth
      ? await measureGrowth(
          opened.map(({ adapter, store }) => ({ name: adapter.name, store: store.store })),
          {
            ...settings.growth,
            windowMs: settings.windowMs,
            warmupMs: settings.warmupMs,
            targetPct: settings.targetPct,
            cellCapMs: settings.cellCapMs,
            timeoutMs: settings.timeoutMs,
            expressSession,
            signal: options.signal,
            onProgress: (message) => options.onProgress?.(message, measured.total, measured.total),
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
        hdrHistogram: packageVersion('hdr-histogram-js'),
        expressSession: packageVersion('express-session'),
      },
      ...(measured.steadiness ? { steadiness: measured.steadiness } : {}),
      settings: withoutGuards(settings),
      stores,
      cells: measured.cells,
      growth: growth.cells,
      openLoop: openLoop.cells,
      failures: [...measured.failures, ...openLoop.failures, ...growth.failures],
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
 * Every cell — each store with its raw baseline, and the no-op harness alone — sampled in rounds
 * until its figures are steady (adaptive.ts). A target that fails a measurement is a finding:
 * recorded, and the rest goes on.
 */
async function measureCells(
  targets: readonly Target[],
  settings: ResolvedSettings,
  workspaces: Workspaces,
  { onProgress, signal }: Pick<BenchOptions, 'onProgress' | 'signal'>,
) {
  const measurements = plan(settings)
  const harnessMeasurements = harnessPlan(measurements, settings)
  const harness = targets.find((target) => target.target === 'harness')
  const planned = measurements.flatMap((entry) => [
    ...storesWithRaw(targets).map((pair) => ({ planned: entry, ...pair })),
    ...(harness && harnessMeasurements.includes(entry) ? [{ planned: entry, store: harness, raw: undefined }] : []),
  ])
  const failures: BenchFailure[] = []
  const probe = new MachineProbe()
  let turns = 0
  const sampled = await sampleInRounds(
    planned.map(({ planned: entry, store, raw }) => ({
      headline: headlineOf(entry.operation),
      sides: {
        store: windowOf(store, entry, settings, workspaces, failures),
        raw: raw && windowOf(raw, entry, settings, workspaces, failures),
      },
    })),
    {
      targetPct: settings.targetPct,
      capMs: settings.cellCapMs,
      signal,
      onTurn: (index, round, done) => {
        if (turns++ % PROBE_EVERY === 0) probe.sample()
        const { planned: entry, store } = planned[index] as (typeof planned)[number]
        const label = `${labelOf(store)} · ${entry.operation} · ${entry.payload} · ×${entry.concurrency}`
        onProgress?.(`round ${round + 1} · ${label}`, done, planned.length)
      },
    },
  )
  const cells = planned.flatMap(({ planned: entry, store, raw }, index) =>
    cellsOf(entry, store, raw, sampled[index] as Sampled),
  )
  // Filed as the tables read: the stores' cells, then their raw baselines', then the harness's, each in plan order.
  const rank = (cell: BenchCell) =>
    TARGET_ORDER.indexOf(cell.target) * targets.length + targets.findIndex((target) => target.name === cell.store)
  const filed = cells
    .map((cell, index) => ({ cell, index }))
    .sort((a, b) => rank(a.cell) - rank(b.cell) || a.index - b.index)
  return { cells: filed.map(({ cell }) => cell), failures, steadiness: probe.result(), total: planned.length }
}

/**
 * The open loop (`--rate`): each store and its raw baseline offered the same calls per second,
 * rate by rate, sampled in rounds like the cells; latency from each call's due time.
 */
async function measureOpenLoop(
  targets: readonly Target[],
  settings: ResolvedSettings,
  workspaces: Workspaces,
  { onProgress, signal }: Pick<BenchOptions, 'onProgress' | 'signal'>,
): Promise<{ cells: OpenLoopCell[]; failures: BenchFailure[] }> {
  const { rates, operation } = settings.openLoop as NonNullable<ResolvedSettings['openLoop']>
  const entry = { operation, payload: settings.loadPayload, concurrency: 0 }
  const planned = rates.flatMap((rate) => storesWithRaw(targets).map((pair) => ({ rate, ...pair })))
  const failures: BenchFailure[] = []
  const sampled = await sampleInRounds(
    planned.map(({ rate, store, raw }) => ({
      headline: 'p50' as const,
      sides: {
        store: windowOf(store, entry, settings, workspaces, failures, rate),
        raw: raw && windowOf(raw, entry, settings, workspaces, failures, rate),
      },
    })),
    {
      targetPct: settings.targetPct,
      capMs: settings.cellCapMs,
      signal,
      onTurn: (index, round, done) => {
        const { rate, store } = planned[index] as (typeof planned)[number]
        onProgress?.(
          `open loop round ${round + 1} · ${labelOf(store)} · ${operation} · ${rate}/s`,
          done,
          planned.length,
        )
      },
    },
  )
  const cells = planned.flatMap(({ rate, store, raw }, index) => {
    const sampledCell = sampled[index] as Sampled
    const sides = sidesOf(sampledCell, 'p50')
    const cell = (target: Target, side: SideFigures): OpenLoopCell => ({
      store: target.name,
      target: target.target as OpenLoopCell['target'],
      operation,
      payload: settings.loadPayload,
      ratePerSec: rate,
      windows: side.windows as OpenLoopMeasurement[],
      resolved: sampledCell.resolved,
      elapsedMs: sampledCell.elapsedMs,
      saturated: (side.windows as OpenLoopMeasurement[]).some((window) => window.saturated),
      ...side.figures,
    })
    return [
      ...(sides.store ? [{ ...cell(store, sides.store), ...(sides.ratio ? { overhead: sides.ratio } : {}) }] : []),
      ...(raw && sides.raw ? [cell(raw, sides.raw)] : []),
    ]
  })
  return { cells, failures }
}

/**
 * One side of a cell, window by window: prepared afresh each round (new Zipf picks from a new
 * seed), warmed up at the start of its turn, the young generation collected before each window.
 * A window that fails is recorded and ends the cell.
 */
function windowOf(
  target: Target,
  planned: PlannedMeasurement,
  settings: ResolvedSettings,
  workspaces: Workspaces,
  failures: BenchFailure[],
  /** Open loop: calls offered per second, instead of `planned.concurrency` in flight. */
  ratePerSec?: number,
): MeasureWindow {
  let prepared: { round: number; operation: PreparedOperation } | undefined
  return async ({ window, round, firstOfTurn }) => {
    try {
      if (prepared?.round !== round) {
        const workspace = workspaces.of(target, planned.payload)
        prepared = { round, operation: await prepareOperation(planned.operation, workspace, round + 1) }
      }
      if (ratePerSec !== undefined) {
        collectGarbage()
        const durationMs = settings.openLoop?.windowMs ?? settings.windowMs
        return await openLoop(prepared.operation.fn, { ratePerSec, durationMs, stallMs: settings.timeoutMs })
      }
      return await measure(`${labelOf(target)} ${planned.operation}`, prepared.operation.fn, {
        timeMs: settings.windowMs,
        concurrency: planned.concurrency,
        warmupMs: firstOfTurn ? settings.warmupMs : settings.warmupMs / 10,
        collectGarbage: true,
        stallMs: settings.timeoutMs,
        beforeEach: prepared.operation.beforeEach,
      })
    } catch (error) {
      failures.push({
        store: target.name,
        target: target.target,
        ...planned,
        window: window + 1,
        ...(ratePerSec === undefined ? {} : { ratePerSec }),
        error: firstLineOf(error),
      })
      throw new WindowFailed()
    }
  }
}

/** A sampled cell's report cells: the store's (with its ratio) and its raw baseline's, each with enough windows. */
function cellsOf(planned: PlannedMeasurement, store: Target, raw: Target | undefined, sampled: Sampled): BenchCell[] {
  const headline = headlineOf(planned.operation)
  const sides = sidesOf(sampled, headline)
  const common = { ...planned, headline, resolved: sampled.resolved, elapsedMs: sampled.elapsedMs }
  const cell = (target: Target, side: SideFigures) => ({
    store: target.name,
    target: target.target,
    ...common,
    windows: side.windows,
    ...side.figures,
  })
  return [
    ...(sides.store
      ? [
          {
            ...cell(store, sides.store),
            ...(sides.raw && sides.ratio ? { overhead: sides.ratio, rawOpsPerSec: sides.raw.figures.opsPerSec } : {}),
          },
        ]
      : []),
    ...(raw && sides.raw ? [cell(raw, sides.raw)] : []),
  ]
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
