import type { ErrorCode } from '../../core/errors.js'
import type { StoreMethod } from '../../core/types.js'

/**
 * The messages between the CLI's process (the parent) and the store's process (the child): the
 * parent's as JSON lines on the child's stdin, the child's as signed lines on fd 3 (channel.ts).
 * The child's are untrusted input all the same, validated field by field (trusted.ts).
 */

/** What the child needs to run the suite: plain data, no functions. */
export interface ChildRunOptions {
  readonly store: string
  readonly cwd: string
  readonly backendUrl?: string
  readonly faults?: 'process' | 'proxy'
  readonly only?: readonly string[]
  readonly skip?: readonly string[]
  readonly timeoutMs?: number
  readonly ttlGranularityMs?: number
  readonly allowClear?: boolean
  readonly require?: boolean | readonly string[]
}

export type ParentMessage =
  /** `key` signs the child's reports; it arrives before the store module loads. */
  | { readonly type: 'start'; readonly key: string; readonly options: ChildRunOptions }
  /** Stop the checks, clean up, report what was removed, exit. */
  | { readonly type: 'abort'; readonly reason: string }

export type ChildMessage =
  | { readonly type: 'ready'; readonly info: unknown }
  | { readonly type: 'check-start'; readonly id: string }
  | { readonly type: 'call'; readonly n: number; readonly checkId: string; readonly method: StoreMethod }
  | { readonly type: 'call-end'; readonly n: number }
  | { readonly type: 'result'; readonly result: unknown }
  /** Sent on a timer: the event loop is alive, and this is how much memory the process holds. */
  | { readonly type: 'beat'; readonly rssBytes: number }
  | { readonly type: 'report'; readonly report: unknown }
  /** Bad input (the module does not load, the factory throws): the parent raises it as its own. */
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string; readonly stack?: string }

/** How often the child says it is alive. */
export const BEAT_INTERVAL_MS = 250

/** Once its parent is gone, the child has this long to remove what the run wrote before it exits. */
export const EXIT_AFTER_PARENT_MS = 70_000
