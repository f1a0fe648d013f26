import { AsyncLocalStorage } from 'node:async_hooks'
import { BoundedList, boundText } from '../bounded.js'
import { Inconclusive, PrerequisiteFailure } from '../check-outcomes.js'
import { CheckFailure, describeValue, toError } from '../errors.js'
import type { Check, CheckResult, PeerStore, StoreMethod } from '../types.js'
import type { CallViolation } from './call-store.js'

/** An error that escaped the store: it would crash or poison an express-session app. */
export interface StrayError {
  readonly kind: 'uncaught exception' | 'unhandled rejection' | 'rejected promise' | 'throw after callback'
  readonly source: string
  readonly error: unknown
}

/** Follows the store calls in flight; `started` returns the function that marks the call done. */
export interface CallLog {
  started(checkId: string, method: StoreMethod): () => void
}

/** A store call whose synchronous part held the event loop: every request of an app waits that long. */
export interface LoopBlock {
  readonly method: StoreMethod
  /** The check that made the call. */
  readonly checkId: string
  readonly durationMs: number
  /** performance.now() when the call returned. */
  readonly endedAt: number
}

/**
 * Everything one check run collects: the ids it created, tolerated deviations, and errors that
 * escaped the store while it ran. Async work started by the check carries the scope (through
 * AsyncLocalStorage), so an exception thrown from a store's timer lands in the right check even
 * when checks run concurrently.
 */
export class CheckScope {
  readonly sids = new Set<string>()
  readonly warnings: string[] = []
  readonly notes: string[] = []
  /** Bounded: a store that throws on every tick costs a counter, not memory. */
  readonly strayErrors = new BoundedList<StrayError>()
  /** The most calls seen per method: a callback flood is a number, not a list. */
  readonly doubleCallbacks = new Map<StoreMethod, number>()
  readonly blocks = new BoundedList<LoopBlock>()
  failure: unknown = undefined
  /** Attempts made so far (an inconclusive one is made again). */
  attempts = 0
  /** Store instances made for this check alone; closed when it ends. */
  readonly ownInstances: PeerStore[] = []
  startedAt = 0
  durationMs = 0
  /** Set when the event loop was blocked while this check ran: said with its failure. */
  disturbedBy: LoopBlock | undefined

  constructor(
    readonly id: string,
    /** The run this scope belongs to, so concurrent runs never record each other's errors. */
    readonly run: symbol,
    /** Told of every store call the check makes, so a crash can name the call that was running. */
    readonly callLog?: CallLog,
  ) {}

  /** A fresh attempt: what the last one concluded is set aside (errors that escaped still count). */
  startAttempt(): void {
    this.attempts += 1
    this.failure = undefined
    this.warnings.length = 0
    this.notes.length = 0
  }

  recordViolation = (violation: CallViolation): void => {
    if (violation.kind === 'double-callback') {
      if (violation.afterThrow) return
      const seen = this.doubleCallbacks.get(violation.method) ?? 0
      this.doubleCallbacks.set(violation.method, Math.max(seen, violation.calls))
    } else if (violation.kind === 'blocked') {
      this.blocks.push({
        method: violation.method,
        checkId: this.id,
        durationMs: violation.durationMs,
        endedAt: violation.endedAt,
      })
    } else if (!isExpectedError(violation.error)) {
      const kind = violation.kind === 'rejected' ? 'rejected promise' : 'throw after callback'
      this.strayErrors.push({ kind, source: `${violation.method}()`, error: violation.error })
    }
  }

  /** `source`: what threw, when known better than "the store" (the call an error was traced to). */
  recordProcessError(kind: StrayError['kind'], error: unknown, source = 'the store'): void {
    if (!isExpectedError(error)) this.strayErrors.push({ kind, source, error })
  }

  /** The result as of now; recomputed at the end of the run so late stray errors count. */
  toResult(check: Check, strayCallbacks: readonly string[] = []): CheckResult {
    const result = this.#result(check, strayCallbacks)
    if (result.status !== 'fail') return result
    const block = this.disturbedBy
    const context = block
      ? `the event loop was blocked for ${seconds(block.durationMs)} by ${block.method}() (during ${block.checkId}) ` +
        'while this check ran; '
      : ''
    return {
      ...result,
      message: boundText(context + result.message),
      expected: result.expected === undefined ? undefined : boundText(result.expected),
      actual: result.actual === undefined ? undefined : boundText(result.actual),
    }
  }

  #result(check: Check, strayCallbacks: readonly string[]): CheckResult {
    const base = {
      id: check.id,
      group: check.group,
      level: check.level,
      title: check.title,
      durationMs: Math.round(this.durationMs),
    }
    if (this.failure instanceof Inconclusive && this.strayErrors.total === 0) {
      const message = `inconclusive after ${this.attempts} attempt(s), never a pass: ${this.failure.message}`
      return { ...base, status: 'skip', reason: 'inconclusive', message: boundText(message) }
    }
    if (this.failure instanceof PrerequisiteFailure && this.strayErrors.total === 0) {
      const message = `${this.failure.message} (reported by ${this.failure.owner})`
      return { ...base, status: 'skip', reason: 'prerequisite', message: boundText(message) }
    }
    if (this.failure !== undefined) {
      if (this.failure instanceof CheckFailure) {
        return {
          ...base,
          status: 'fail',
          message: this.failure.message,
          expected: this.failure.expected,
          actual: this.failure.actual,
          impact: this.failure.impact ?? check.impact,
        }
      }
      return {
        ...base,
        status: 'fail',
        message: `the check crashed: ${describeError(this.failure)}`,
        impact: check.impact,
      }
    }
    const [stray] = this.strayErrors.kept
    if (stray) {
      return {
        ...base,
        status: 'fail',
        message: `${stray.kind} from ${stray.source}: ${describeError(stray.error)}${more(this.strayErrors.total, 1)}`,
        expected: 'errors reach the callback; nothing escapes the store',
        actual: `${stray.kind} while this check ran`,
        impact: 'In an express-session app an uncaught exception or unhandled rejection crashes the process.',
      }
    }
    if (strayCallbacks.length > 0) {
      return {
        ...base,
        status: 'fail',
        message: `callbacks ran more than once during the run: ${firstOf(strayCallbacks, 3)}`,
        expected: 'each callback runs exactly once',
        actual: strayCallbacks.join('; '),
        impact: check.impact,
      }
    }
    if (this.warnings.length > 0) return { ...base, status: 'warn', message: boundText(this.warnings.join('; ')) }
    return this.notes.length > 0
      ? { ...base, status: 'pass', message: boundText(this.notes.join('; ')) }
      : { ...base, status: 'pass' }
  }
}

/** ` (+N more)` when a message names only the first `shown` of `total`. */
function more(total: number, shown: number): string {
  return total > shown ? ` (+${total - shown} more)` : ''
}

/** The first `shown` entries, and how many more there are. */
function firstOf(entries: readonly string[], shown: number): string {
  return `${entries.slice(0, shown).join('; ')}${more(entries.length, shown)}`
}

const describeError = (error: unknown) => describeValue(toError(error))

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/**
 * Errors a check provokes on purpose (the callback-throws check's sentinel). Known process-wide,
 * because a store may let them escape from a socket or pool callback that belongs to no check.
 */
const expectedErrors = new WeakSet<object>()

export function expectError(error: object): void {
  expectedErrors.add(error)
}

export function isExpectedError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && expectedErrors.has(error)
}

/** The scope of the check whose code (or whose store's timers) is running now. */
export const scopeStorage = new AsyncLocalStorage<CheckScope>()
