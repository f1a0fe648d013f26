import type { Measurement } from '../../bench/measure.js'
import type { BenchOperation } from '../../bench/operations.js'

/** What a load worker is asked to drive: one store (and its raw client) through one operation. */
export interface WorkerConfig {
  /** A built-in store's name. */
  readonly spec: string
  /** Where its backend is: the URL the bench's own copy of the store connected to. */
  readonly url?: string | undefined
  readonly operation: BenchOperation
  readonly payloadBytes: number
  readonly poolSize: number
  /** Calls each worker keeps in flight. */
  readonly concurrency: number
  readonly stallMs: number
}

/** Parent → worker, one JSON object per IPC message. */
export type WorkerCommand =
  | {
      readonly type: 'window'
      readonly target: 'store' | 'raw'
      readonly durationMs: number
      readonly warmupMs: number
    }
  | { readonly type: 'stop' }

/** Worker → parent. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly hasRaw: boolean }
  | { readonly type: 'measured'; readonly measurement: Measurement }
  | { readonly type: 'failed'; readonly error: string; readonly unavailable: boolean }
