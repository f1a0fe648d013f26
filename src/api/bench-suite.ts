import path from 'node:path'
import type { Adapter } from '../backends/index.js'
import { type BenchOptions, DEFAULT_BENCH_TIMEOUT_MS } from '../bench/bench-options.js'
import type { BenchReport } from '../bench/report.js'
import { runBench } from '../bench/run-bench.js'
import { type HttpStore, runHttpBench } from './http-bench/run-http-bench.js'
import { runWorkersBench } from './workers/run-workers-bench.js'

/** A workers' window is this many windows long: every worker is asked, and answers, over IPC. */
const WORKER_WINDOWS = 4

export interface BenchSuiteOptions extends Omit<BenchOptions, 'stores'> {
  /** As the command line names them: built-in names and store module paths. */
  readonly specs: readonly string[]
  /** `specs` loaded (benchStores): the built-in names as they are, each module as its adapter. */
  readonly stores: readonly (string | Adapter)[]
  /** Where a relative module path resolves. */
  readonly cwd: string
  /** Also whole requests over HTTP (runHttpBench). */
  readonly http?: boolean
  /** Also each server-backed store from this many processes at once (runWorkersBench). */
  readonly workers?: number | undefined
}

/**
 * Everything `bench` measures, in order: the store calls (runBench), then with `workers` the
 * server-backed stores from several processes, then with `http` whole requests; one report.
 * The workers and HTTP benches take the store-call bench's resolved settings, so a --quick or a
 * --precision applies to all three.
 */
export async function runBenchSuite(options: BenchSuiteOptions): Promise<BenchReport> {
  const { specs, stores, cwd, http, workers, ...measuring } = options
  const calls = await runBench({ ...measuring, stores })
  const { settings } = calls
  const common = {
    url: options.url,
    targetPct: settings.targetPct,
    timeoutMs: options.timeoutMs ?? DEFAULT_BENCH_TIMEOUT_MS,
    signal: options.signal,
    onProgress: options.onProgress,
  }
  const workersReport =
    workers === undefined
      ? undefined
      : await runWorkersBench({
          ...common,
          stores: specs.filter((_, index) => typeof stores[index] === 'string'),
          workers,
          payload: settings.loadPayload,
          concurrency: Math.max(...settings.concurrency),
          windowMs: WORKER_WINDOWS * settings.windowMs,
          cellCapMs: WORKER_WINDOWS * settings.cellCapMs,
          poolSize: settings.poolSize,
        })
  const httpReport = http
    ? await runHttpBench({
        ...common,
        stores: httpStores(specs, stores, cwd),
        cwd,
        quick: options.quick,
        rates: options.rates,
      })
    : undefined
  return { ...calls, ...(workersReport ? { workers: workersReport } : {}), ...(httpReport ? { http: httpReport } : {}) }
}

/** The stores as the HTTP bench's app processes open them: built-in names, and module paths made absolute. */
function httpStores(specs: readonly string[], entries: readonly (string | Adapter)[], cwd: string): HttpStore[] {
  return specs.map((spec, index) => {
    const entry = entries[index] as string | Adapter
    return typeof entry === 'string' ? { name: entry, spec } : { name: entry.name, spec: path.resolve(cwd, spec) }
  })
}
