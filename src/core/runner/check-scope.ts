import { AsyncLocalStorage } from 'node:async_hooks'
import { CheckFailure, describeValue, toError } from '../errors.js'
import type { Check, CheckResult } from '../types.js'
import type { CallViolation } from './call-store.js'

/** An error that escaped the store: it would crash or poison an express-session app. */
export interface StrayError {
  readonly kind: 'uncaught exception' | 'unhandled rejection' | 'rejected promise' | 'throw after callback'
  readonly source: string
  readonly error: unknown
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
  readonly strayErrors: StrayError[] = []
  readonly doubleCallbacks: { method: string; calls: number }[] = []
  failure: unknown = undefined
  durationMs = 0

  constructor(
    readonly id: string,
    /** The run this scope belongs to, so concurrent runs never record each other's errors. */
    readonly run: symbol,
  ) {}

  recordViolation = (violation: CallViolation): void => {
    if (violation.kind === 'double-callback') {
      if (!violation.afterThrow) this.doubleCallbacks.push({ method: violation.method, calls: violation.calls })
    } else if (!isExpectedError(violation.error)) {
      const kind = violation.kind === 'rejected' ? 'rejected promise' : 'throw after callback'
      this.strayErrors.push({ kind, source: `${violation.method}()`, error: violation.error })
    }
  }

  recordProcessError(kind: StrayError['kind'], error: unknown): void {
    if (!isExpectedError(error)) this.strayErrors.push({ kind, source: 'the store', error })
  }

  /** The result as of now; recomputed at the end of the run so late stray errors count. */
  toResult(check: Check, strayCallbacks: readonly string[] = []): CheckResult {
    const base = {
      id: check.id,
      group: check.group,
      level: check.level,
      title: check.title,
      durationMs: Math.round(this.durationMs),
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
    const stray = this.strayErrors[0]
    if (stray) {
      return {
        ...base,
        status: 'fail',
        message: `${stray.kind} from ${stray.source}: ${describeError(stray.error)}${more(this.strayErrors.length, 1)}`,
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
    if (this.warnings.length > 0) return { ...base, status: 'warn', message: this.warnings.join('; ') }
    return this.notes.length > 0
      ? { ...base, status: 'pass', message: this.notes.join('; ') }
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
