import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Measurement } from '../../bench/measure.js'
import type { WorkerCommand, WorkerConfig, WorkerMessage } from './protocol.js'

/** How long a worker may take to open its store and seed its pool. */
const READY_TIMEOUT_MS = 60_000

/** A worker could not start: its line, and whether its backend was unavailable. */
export class WorkerStartFailed extends Error {
  constructor(
    message: string,
    readonly unavailable: boolean,
  ) {
    super(message)
    this.name = 'WorkerStartFailed'
  }
}

/**
 * N load workers (worker-process.ts), each a process with its own event loop and its own client
 * of the store: one Node event loop is no longer the ceiling. A window asks every worker to
 * measure at once and adds their throughput.
 */
export class WorkerPool {
  readonly #children: ChildProcess[]
  readonly hasRaw: boolean

  private constructor(children: ChildProcess[], hasRaw: boolean) {
    this.#children = children
    this.hasRaw = hasRaw
  }

  static async start(count: number, config: WorkerConfig): Promise<WorkerPool> {
    const self = fileURLToPath(import.meta.url)
    const extension = path.extname(self)
    const entry = path.join(path.dirname(self), `worker-process${extension}`)
    const children = Array.from({ length: count }, () =>
      fork(entry, [JSON.stringify(config)], {
        execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        detached: true,
      }),
    )
    const pool = new WorkerPool(children, false)
    try {
      const ready = await Promise.all(children.map((child) => reply(child, READY_TIMEOUT_MS)))
      const failed = ready.find((message) => message.type === 'failed')
      if (failed?.type === 'failed') throw new WorkerStartFailed(failed.error, failed.unavailable)
      return new WorkerPool(
        children,
        ready.every((message) => message.type === 'ready' && message.hasRaw),
      )
    } catch (error) {
      await pool.stop()
      throw error
    }
  }

  /**
   * One window on every worker at once. Throughput is the sum of theirs; latency figures are the
   * median of the workers' own (each exact within its worker, HDR).
   */
  async window(target: 'store' | 'raw', durationMs: number, warmupMs: number, stallMs: number): Promise<Measurement> {
    const command: WorkerCommand = { type: 'window', target, durationMs, warmupMs }
    for (const child of this.#children) child.send(command)
    const replies = await Promise.all(this.#children.map((child) => reply(child, warmupMs + durationMs * 4 + stallMs)))
    const measured = replies.map((message) => {
      if (message.type !== 'measured') throw new Error(message.type === 'failed' ? message.error : 'no measurement')
      return message.measurement
    })
    return combine(measured)
  }

  /** Disconnects every worker (each removes what it wrote and exits) and waits; kills what lingers. */
  async stop(): Promise<void> {
    await Promise.all(
      this.#children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return
        const exited = once(child, 'exit')
        if (child.connected) child.disconnect()
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }),
    )
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The workers' windows as one: throughput added, latency the median of theirs. */
function combine(measured: readonly Measurement[]): Measurement {
  const pick = (figure: 'p50' | 'p90' | 'p99' | 'mean') => median(measured.map((entry) => entry.latency[figure]))
  return {
    latency: {
      samples: measured.reduce((sum, entry) => sum + entry.latency.samples, 0),
      min: Math.min(...measured.map((entry) => entry.latency.min)),
      max: Math.max(...measured.map((entry) => entry.latency.max)),
      mean: pick('mean'),
      p50: pick('p50'),
      p90: pick('p90'),
      p99: pick('p99'),
    },
    concurrency: measured.reduce((sum, entry) => sum + entry.concurrency, 0),
    wallMs: Math.max(...measured.map((entry) => entry.wallMs)),
    busyMs: Math.max(...measured.map((entry) => entry.busyMs)),
    opsPerSec: measured.reduce((sum, entry) => sum + entry.opsPerSec, 0),
    gc: {
      count: measured.reduce((sum, entry) => sum + entry.gc.count, 0),
      totalMs: measured.reduce((sum, entry) => sum + entry.gc.totalMs, 0),
    },
  }
}

/** The worker's next message, or a failure when it exits or says nothing in time. */
async function reply(child: ChildProcess, timeoutMs: number): Promise<WorkerMessage> {
  let timer: NodeJS.Timeout | undefined
  // Removes the listener of whichever event did not come: a window per message would pile them up.
  const done = new AbortController()
  const next = (event: string) => once(child, event, { signal: done.signal })
  const loser = new Promise<never>(() => {})
  try {
    return await Promise.race<WorkerMessage>([
      next('message').then(
        ([message]) => message as WorkerMessage,
        () => loser,
      ),
      next('exit').then(
        ([code, signal]) => {
          throw new WorkerStartFailed(`a load worker exited (${signal ?? code})`, false)
        },
        () => loser,
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`a load worker said nothing for ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
    done.abort()
  }
}
