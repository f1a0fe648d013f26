import { beforeAll, describe, type TestContext, test } from 'vitest'
import { toProvider } from './api/load-store.js'
import { runConformance } from './api/run-conformance.js'
import type { RunOptions } from './api/run-options.js'
import { ConformanceError } from './core/errors.js'
import { installedFor } from './core/package-version.js'
import { selectChecks } from './core/select-checks.js'
import type { CheckResult, FailResult, Gate, RunReport, StoreProvider } from './core/types.js'
import { runProblems } from './core/verdict.js'
import { belowGate, failsGate } from './reporters/run/gating.js'
import { checks as catalogue } from './suites/index.js'

/** vitest is an optional peer with the range "*" (no install conflicts); this entry needs its annotations (3.2). */
const VITEST_RANGE = '>=3.2'

export interface StoreConformanceOptions extends Omit<RunOptions, 'store' | 'onCheckResult' | 'onRunStart'> {
  /** Name shown in the describe block. @default the module path, or "store" */
  name?: string
  /** How long one vitest test may wait for its check's result (ms). @default 60000 */
  testTimeoutMs?: number
  /**
   * The CLI's --strict: a failed recommended check fails its test too. By default only required
   * checks (and problems of the run itself) fail; other failures pass with a warning annotation.
   * @default false
   */
  strict?: boolean
}

/**
 * Registers one vitest test per conformance check, from the same definitions the CLI runs:
 *
 * ```ts
 * import { storeConformance } from 'store-conformance/vitest'
 * import createStore from './my-store.js'
 * storeConformance(createStore)
 * ```
 *
 * `store` is anything a store module may export (a factory `(session) => Store`, an object with
 * `create`, a Store instance) or a built-in name / module path. The checks run once, concurrently,
 * as the CLI runs them; each test waits for its own check's result, fails with the CLI's message
 * where the CLI's gate fails (`strict` as --strict), passes with a warning annotation for a
 * deviation that does not gate (a failure below the gate, a tolerated warning), and is skipped
 * (with the reason) where the CLI skips.
 */
export function storeConformance(store: unknown, options: StoreConformanceOptions = {}): void {
  assertSupportedVitest()
  const name = options.name ?? (typeof store === 'string' ? store : 'store')
  const checks = options.checks ?? catalogue
  const isSelected = selectChecks(checks, options.only, options.skip)
  const selected = checks.filter(isSelected)
  const waiting = new Map(selected.map((check) => [check.id, deferred<CheckResult>()]))
  const finished = deferred<RunReport>()
  const testTimeout = options.testTimeoutMs ?? 60_000
  const gate: Gate = options.strict ? 'recommended' : 'required'

  describe(`store-conformance: ${name}`, () => {
    beforeAll(() => {
      const provider: StoreProvider | string = typeof store === 'string' ? store : toProvider(name, store)
      const { name: _name, testTimeoutMs: _timeout, strict: _strict, ...runOptions } = options
      // Not awaited: tests start as soon as their own result arrives.
      runConformance({
        ...runOptions,
        store: provider,
        onCheckResult: (result) => waiting.get(result.id)?.resolve(result),
      }).then(
        (report) => {
          for (const result of report.results) waiting.get(result.id)?.resolve(result)
          finished.resolve(report)
        },
        (error: unknown) => {
          for (const entry of waiting.values()) entry.reject(error)
          finished.reject(error)
        },
      )
    })

    for (const check of selected) {
      test(`${check.id}: ${check.title}`, { timeout: testTimeout }, async (context) => {
        const result = await (waiting.get(check.id) as Deferred<CheckResult>).promise
        switch (result.status) {
          case 'skip':
            context.skip(`${result.reason}: ${result.message}`)
            return
          case 'warn':
            await warning(context, `tolerated deviation: ${result.message}`)
            return
          case 'fail':
            if (failsGate(result, gate)) throw new Error(failureText(result))
            await warning(context, `deviation (${belowGate(result, gate)}): ${failureText(result)}`)
            return
          case 'pass':
            return
        }
      })
    }

    // What no single check owns (an error that escaped outside any check, a failed cleanup, a call
    // that blocked the event loop, replaced built-ins) fails a test of its own, as it fails the CLI.
    test('the run itself: nothing escaped the store, cleanup succeeded', { timeout: testTimeout }, async () => {
      const problems = runProblems(await finished.promise)
      if (problems.length > 0) {
        throw new Error(problems.map((problem) => `${problem.kind}: ${problem.message}`).join('\n'))
      }
    })
  })
}

/** The failure as the CLI words it: what happened, what was expected, what it costs. */
function failureText(result: FailResult): string {
  return [
    result.message,
    result.expected && `expected: ${result.expected}`,
    result.actual && `actual:   ${result.actual}`,
    `impact:   ${result.impact}`,
  ]
    .filter(Boolean)
    .join('\n')
}

/**
 * A deviation shown on a passing test. Annotations came with vitest 3.2 (the peer range); on an
 * older vitest the deviation still reaches the log instead of vanishing.
 */
async function warning(context: TestContext, message: string): Promise<void> {
  if (typeof (context as Partial<TestContext>).annotate === 'function') await context.annotate(message, 'warning')
  else console.warn(message)
}

interface Deferred<T> {
  readonly promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  // A load error rejects every test's promise; tests that were filtered never await theirs.
  promise.catch(() => {})
  return { promise, resolve, reject }
}

function assertSupportedVitest(): void {
  const installed = installedFor('vitest', VITEST_RANGE)
  if (installed?.supported === false) {
    throw new ConformanceError(
      'SC_ADAPTER_DEPENDENCY_VERSION',
      `store-conformance/vitest needs vitest ${VITEST_RANGE}, and this project has ${installed.version}: ` +
        'npm install --save-dev vitest@latest',
    )
  }
}
