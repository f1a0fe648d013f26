import { backendOf, builtinAdapterNames, loadAdapter } from '../../backends/index.js'
import { BackendUnavailableError } from '../../backends/unavailable.js'
import { type MeasureWindow, sampleInRounds, WindowFailed } from '../../bench/adaptive.js'
import { ceilingFor } from '../../bench/ceilings.js'
import { sidesOf } from '../../bench/cells.js'
import { MIN_WINDOWS, medianInterval } from '../../bench/interval.js'
import type { BenchOperation } from '../../bench/operations.js'
import { PAYLOAD_BYTES, type PayloadSize } from '../../bench/payloads.js'
import type { CeilingCell, WorkersCell, WorkersReport } from '../../bench/workers-report.js'
import { firstLineOf } from '../../core/errors.js'
import { expressSession } from '../../core/express-session.js'
import { WorkerPool, WorkerStartFailed } from './worker-pool.js'

export interface WorkersBenchOptions {
  /** Built-in store names; anything else is skipped (a module's backend is its own business). */
  readonly stores: readonly string[]
  readonly workers: number
  readonly url?: string | undefined
  /** @default get-hit */
  readonly operation?: BenchOperation
  readonly payload: PayloadSize
  /** Calls in flight per worker. @default 64 */
  readonly concurrency?: number
  readonly windowMs: number
  readonly targetPct: number
  readonly cellCapMs: number
  readonly poolSize: number
  readonly timeoutMs: number
  readonly signal?: AbortSignal
  readonly onProgress?: (message: string, done: number, total: number) => void
}

/** Requests per redis-benchmark run: about a quarter second at this machine's ceiling. */
const CEILING_REQUESTS = 20_000

/**
 * `bench --workers N`: each built-in store, and its raw client, driven from N worker processes at
 * once (worker-process.ts), each with its own event loop and client, so one Node process is not
 * the ceiling; the store and raw alternate window by window in rounds, as every cell does. The
 * backend's own load tool (redis-benchmark) runs against the same server in the same run, as the
 * ceiling they are read against. The store is opened here once, so a server started for the run
 * is started once and every worker connects to it.
 */
export async function runWorkersBench(options: WorkersBenchOptions): Promise<WorkersReport> {
  const operation = options.operation ?? 'get-hit'
  const concurrency = options.concurrency ?? 64
  const cells: WorkersCell[] = []
  const ceilings: CeilingCell[] = []
  const skipped: { store: string; reason: string }[] = []
  const failures: WorkersReport['failures'][number][] = []
  for (const [index, store] of options.stores.entries()) {
    options.signal?.throwIfAborted()
    if (!builtinAdapterNames.includes(store)) {
      skipped.push({ store, reason: 'a store module: the tool cannot know the backend it talks to' })
      continue
    }
    if (!backendOf(store)?.server) {
      skipped.push({ store, reason: 'in-process: each worker would hold a store of its own, shared with no one' })
      continue
    }
    const adapter = await loadAdapter(store)
    const opened = await adapter.open({ session: expressSession, url: options.url }).catch((error: unknown) => {
      if (error instanceof BackendUnavailableError) skipped.push({ store, reason: error.message })
      else throw error
      return undefined
    })
    if (!opened) continue
    let pool: WorkerPool | undefined
    try {
      options.onProgress?.(`starting ${options.workers} load workers for ${store}`, index, options.stores.length)
      pool = await WorkerPool.start(options.workers, {
        spec: store,
        url: opened.backend?.url,
        operation,
        payloadBytes: PAYLOAD_BYTES[options.payload],
        poolSize: options.poolSize,
        concurrency,
        stallMs: options.timeoutMs,
      }).catch((error: unknown) => {
        if (!(error instanceof WorkerStartFailed)) throw error
        skipped.push({ store, reason: `its load workers could not start: ${error.message}` })
        return undefined
      })
      if (!pool) continue
      const running = pool
      const side =
        (target: 'store' | 'raw'): MeasureWindow =>
        async ({ window, firstOfTurn }) => {
          const warmupMs = firstOfTurn ? options.windowMs : options.windowMs / 10
          try {
            return await running.window(target, options.windowMs, warmupMs, options.timeoutMs)
          } catch (error) {
            failures.push({ store, target, window: window + 1, error: firstLineOf(error) })
            throw new WindowFailed()
          }
        }
      const [sampled] = await sampleInRounds(
        [{ headline: 'opsPerSec', sides: { store: side('store'), raw: running.hasRaw ? side('raw') : undefined } }],
        {
          targetPct: options.targetPct,
          capMs: options.cellCapMs,
          signal: options.signal,
          onTurn: (_cell, round) =>
            options.onProgress?.(
              `${store} from ${options.workers} workers · round ${round + 1}`,
              index,
              options.stores.length,
            ),
        },
      )
      if (sampled) {
        const { resolved, elapsedMs } = sampled
        const common = { store, operation, payload: options.payload, resolved, elapsedMs }
        const sides = sidesOf(sampled, 'opsPerSec')
        if (sides.store)
          cells.push({
            ...common,
            target: 'store',
            windows: sides.store.windows,
            ...sides.store.figures,
            ...(sides.ratio ? { kept: sides.ratio } : {}),
          })
        if (sides.raw) cells.push({ ...common, target: 'raw', windows: sides.raw.windows, ...sides.raw.figures })
      }
      await pool.stop()
      pool = undefined
      const ceiling = opened.backend
        ? await ceilingFor(opened.backend, PAYLOAD_BYTES[options.payload], CEILING_REQUESTS)
        : undefined
      if (ceiling) {
        try {
          options.onProgress?.(`${ceiling.tool} on ${store}'s server`, index, options.stores.length)
          const runs: number[] = []
          for (let run = 0; run < MIN_WINDOWS; run++) runs.push(await ceiling.measure())
          const { backend, tool, command, describes } = ceiling
          ceilings.push({ store, backend, tool, command, describes, runs, opsPerSec: medianInterval(runs) })
        } finally {
          await ceiling.cleanup()
        }
      }
    } finally {
      await pool?.stop()
      await opened.close()
    }
  }
  return {
    settings: {
      workers: options.workers,
      concurrency,
      operation,
      payload: options.payload,
      windowMs: options.windowMs,
    },
    cells,
    ceilings,
    skipped,
    failures,
  }
}
