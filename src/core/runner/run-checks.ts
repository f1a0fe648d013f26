import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { BoundedList } from '../bounded.js'
import { Inconclusive, PrerequisiteFailure } from '../check-outcomes.js'
import { forEachConcurrently } from '../concurrently.js'
import { withDeadline } from '../deadline.js'
import { CheckFailure, messageOf } from '../errors.js'
import { countListed, listedIds } from '../listed-sessions.js'
import { buildSession } from '../sessions.js'
import { filteredResult, skipResult } from '../skip-result.js'
import { clearTimeout, setImmediate, setTimeout } from '../timers.js'
import type {
  Check,
  CheckContext,
  CheckResult,
  ExpressSessionModule,
  FaultableStore,
  PeerStore,
  ResolvedCapabilities,
  SessionApp,
  SessionAppSettings,
  SessionStore,
  StoreDriver,
  StoreTiming,
} from '../types.js'
import { type CallViolation, callStore } from './call-store.js'
import { checkEnded, faultCheckRunning, pendingCalls } from './calls-in-flight.js'
import { type CallLog, CheckScope, expectError, type LoopBlock, type StrayError, scopeStorage } from './check-scope.js'
import { createSessionApp } from './session-app.js'
import { createSidFactory } from './sid.js'
import { createStoreDriver } from './store-driver.js'
import { measureTiming, sleepUntil } from './timing.js'

/** What the run knows of its backend's health, to tell its faults from the store's. */
export interface BackendFaults {
  /** Waits for the last word on the backend (a final probe) before verdicts are final. */
  settle(): Promise<void>
  /** Why the backend failed between these performance.now() times, if it did. */
  faultDuring(from: number, to: number): string | undefined
}

export interface ExecuteOptions {
  readonly store: SessionStore
  readonly expressSession: ExpressSessionModule
  readonly capabilities: ResolvedCapabilities
  /** Every check, in catalogue order; unselected ones are reported as filtered. */
  readonly checks: readonly Check[]
  readonly isSelected: (check: Check) => boolean
  readonly timeoutMs: number
  readonly allowClear: boolean
  /** Identifies the run's scopes; see captureProcessErrors. */
  readonly runId: symbol
  /** How many checks run at once in the concurrent phase. */
  readonly concurrency?: number
  readonly onCheckStart?: (checkId: string) => void
  readonly onCheckResult?: (result: CheckResult) => void
  /** Told of each store call a check makes (the isolated child reports them to its parent). */
  readonly callLog?: CallLog
  /** The backend's watch: failures while it was down or had restarted are its, not the store's. */
  readonly backendFaults?: BackendFaults
  /** Aborting it stops the checks (those not finished are skipped as interrupted); cleanup still runs. */
  readonly signal?: AbortSignal
  /** Another store on the same data with a connection of its own; absent where none can be made. */
  readonly peer?: () => Promise<PeerStore>
  /** The backend's own expiry for a session id, where the store's provider can read it. */
  readonly backendExpiry?: (sid: string) => Promise<number | null | undefined>
  /** A fresh instance whose backend the fault checks can make fail; absent: they are skipped. */
  readonly faultable?: () => Promise<FaultableStore>
  /** Why there is no faultable instance, for the skip message. */
  readonly faultsUnavailable?: string
  /** Names outside the run's namespace containing a marker, where the backend can be searched. */
  readonly outsideNamespace?: (marker: string) => Promise<readonly string[] | undefined>
}

export interface ExecuteOutcome {
  readonly results: CheckResult[]
  readonly timing: StoreTiming | undefined
  /** Errors that escaped the store while the run itself (not a check) was using it. */
  readonly strayErrors: BoundedList<StrayError>
  /** Calls that held the event loop, from any check; bounded. */
  readonly blocks: BoundedList<LoopBlock>
}

const REQUIRED_METHODS = ['get', 'set', 'destroy'] as const

/** Attempts a check gets while it comes out inconclusive. */
const MAX_ATTEMPTS = 3

/** How long a check's own store instance may take to close. */
const CLOSE_OWN_MS = 10_000

/**
 * Runs the checks against one store in two phases: everything that only touches its own ids runs
 * concurrently (timed checks first, so their waits overlap), then checks that observe the whole
 * store (length, all, clear) run one at a time, destructive ones last.
 */
export async function executeChecks(options: ExecuteOptions): Promise<ExecuteOutcome> {
  const { store, capabilities, timeoutMs } = options
  const run = new RunState(options)
  const runScope = new CheckScope('(run)', options.runId, options.callLog)

  const missing = REQUIRED_METHODS.filter((method) => typeof store[method] !== 'function')
  const runnable: Check[] = []
  for (const check of options.checks) {
    const skipped = preflightSkip(check, options, missing)
    if (skipped) run.settle(check, skipped)
    else runnable.push(check)
  }

  const destructive = runnable.filter((check) => check.destructive)
  if (destructive.length > 0 && !options.allowClear) {
    const verdict = await scopeStorage.run(runScope, () => probeEmpty(run, capabilities, 'before the run'))
    if (verdict !== 'empty') {
      for (const check of destructive) {
        run.settle(check, skipResult(check, 'unsafe', `${verdict}; pass --allow-clear to run it anyway`))
      }
    }
  }

  const pending = runnable.filter((check) => !run.results.has(check.id))
  const alone = (check: Check) => check.exclusive || check.emptyStore || check.misbehaves || check.faults
  const onEmpty = pending.filter((check) => check.emptyStore)
  const concurrent = pending
    .filter((check) => !alone(check))
    .sort((a, b) => Number(Boolean(b.timed)) - Number(Boolean(a.timed)))
  const exclusive = pending.filter((check) => check.exclusive && !check.destructive && !check.misbehaves)
  const destroying = pending.filter((check) => check.destructive)
  const misbehaving = pending.filter((check) => check.misbehaves)
  // One at a time: they share the backend they make fail (a server the tool started for them).
  const faulting = pending.filter((check) => check.faults && !check.exclusive && !check.misbehaves)

  // Before anything is written: the store is as empty as it will ever be.
  for (const check of onEmpty) await run.execute(check)
  await forEachConcurrently(concurrent, options.concurrency ?? 16, (check) => run.execute(check))
  for (const check of faulting) await run.execute(check)
  for (const check of exclusive) await run.execute(check)
  if (destroying.length > 0 && options.signal?.aborted) {
    for (const check of destroying) run.settle(check, interrupted(check))
  } else if (destroying.length > 0) {
    // Remove everything the run made, then look again: another writer may have arrived since the start.
    await scopeStorage.run(runScope, () => run.close())
    const verdict = options.allowClear
      ? 'empty'
      : await scopeStorage.run(runScope, () =>
          probeEmpty(run, capabilities, "once the run's own sessions were removed"),
        )
    const cause = verdict === 'empty' ? '' : await scopeStorage.run(runScope, () => whoseSessions(run))
    for (const check of destroying) {
      if (verdict === 'empty') await run.execute(check)
      else run.settle(check, skipResult(check, 'unsafe', `${verdict}; ${cause}`))
    }
  }
  // Last and alone: whatever a deliberately misbehaving check provokes cannot touch another verdict.
  for (const check of misbehaving) await run.execute(check)

  await scopeStorage.run(runScope, () => run.close())
  await options.backendFaults?.settle()
  // A moment for late callbacks and timer throws to arrive before the verdicts are final.
  await new Promise((resolve) => setTimeout(resolve, Math.min(50, timeoutMs)))
  const strayErrors = BoundedList.merge([runScope.strayErrors, run.probeScope?.strayErrors])
  const blocks = run.blocks([runScope])
  return { results: run.finalResults(), timing: run.timingValue, strayErrors, blocks }
}

/** Mutable state of one run: results, scopes, the shared timing probe and the shared app. */
class RunState {
  readonly results = new Map<string, CheckResult>()
  readonly scopes = new Map<string, CheckScope>()
  readonly sidPrefix = `sc-${randomBytes(4).toString('hex')}-`
  readonly newSid = createSidFactory(this.sidPrefix)
  readonly createdSids = new Set<string>()
  timingValue: StoreTiming | undefined
  probeScope: CheckScope | undefined
  timingFailure: CheckFailure | undefined
  timingWindow: { from: number; to: number } | undefined
  #timing: Promise<StoreTiming> | undefined
  readonly #apps = new Map<string, Promise<SessionApp>>()
  /** One cookie secret for the run's apps: a cookie from one is accepted by another (a second server). */
  readonly #secret = randomBytes(16).toString('hex')
  #peer: Promise<PeerStore | undefined> | undefined

  constructor(readonly options: ExecuteOptions) {}

  settle(check: Check, result: CheckResult): void {
    this.results.set(check.id, result)
    this.options.onCheckResult?.(result)
  }

  async execute(check: Check): Promise<void> {
    const { signal } = this.options
    if (signal?.aborted) return this.settle(check, interrupted(check))
    const scope = new CheckScope(check.id, this.options.runId, this.options.callLog)
    this.scopes.set(check.id, scope)
    this.options.onCheckStart?.(check.id)
    const started = performance.now()
    scope.startedAt = started
    if (check.faults) faultCheckRunning(this.options.runId, scope)
    // An inconclusive attempt (the machine was too slow to decide) is measured again.
    do {
      scope.startAttempt()
      await this.#attempt(check, scope)
    } while (scope.failure instanceof Inconclusive && scope.attempts < MAX_ATTEMPTS && !signal?.aborted)
    scope.durationMs = performance.now() - started
    checkEnded(scope)
    // Let a stray error from the store's timers land in this check rather than the next one.
    await new Promise((resolve) => setImmediate(resolve))
    await this.cleanup([...scope.sids])
    await this.#closeOwnInstances(scope)
    if (check.faults) faultCheckRunning(this.options.runId, undefined)
    if (signal?.aborted) {
      this.scopes.delete(check.id)
      return this.settle(check, interrupted(check))
    }
    this.settle(check, scope.toResult(check))
  }

  async #attempt(check: Check, scope: CheckScope): Promise<void> {
    const { signal } = this.options
    // The watchdog aborts the check: its sleeps end and its next store call fails, so nothing it
    // started outlives its cleanup.
    const controller = new AbortController()
    const stop = () => controller.abort(new CheckFailure('the run was interrupted'))
    signal?.addEventListener('abort', stop, { once: true })
    const ctx = this.context(scope, controller.signal)
    const watchdogMs = Math.max(30_000, this.options.timeoutMs * 10)
    const watchdog = setTimeout(
      () => controller.abort(new CheckFailure(`${check.id} did not finish within ${watchdogMs} ms`)),
      watchdogMs,
    )
    await scopeStorage.run(scope, async () => {
      try {
        await check.run(ctx)
      } catch (error) {
        scope.failure = error
      } finally {
        clearTimeout(watchdog)
        signal?.removeEventListener('abort', stop)
      }
    })
  }

  context(scope: CheckScope, signal: AbortSignal): CheckContext {
    const { store, expressSession, capabilities, timeoutMs } = this.options
    // A violation lands in the scope its call ran in: this check's, or a setup step's (prerequisite).
    const record = (violation: CallViolation) => {
      const active = scopeStorage.getStore()
      ;(active?.id === scope.id ? active : scope).recordViolation(violation)
    }
    const driverFor = (target: SessionStore): StoreDriver => createStoreDriver(target, timeoutMs, record, signal)
    return {
      store: driverFor(store),
      raw: store,
      capabilities,
      expressSession,
      callTimeoutMs: timeoutMs,
      attempt: Math.max(1, scope.attempts),
      newSid: () => {
        signal.throwIfAborted()
        const sid = this.newSid()
        scope.sids.add(sid)
        this.createdSids.add(sid)
        return sid
      },
      session: (sid, data, cookie) => buildSession(store, expressSession, sid, data, cookie),
      timing: () => this.timing(),
      sessionApp: async (settings) => {
        const app = await this.sessionApp(settings)
        return {
          ...app,
          client: () => app.client(scope.id),
          lateErrors: () => app.lateErrors(scope.id),
        }
      },
      sleepUntil: (epochMs) => sleepUntil(epochMs, signal),
      warn: (message) => void scope.warnings.push(message),
      note: (message) => void scope.notes.push(message),
      expectError: (error) => expectError(error as object),
      inconclusive: (message) => {
        throw new Inconclusive(message)
      },
      outsideVerdict: async (step, fn) => {
        const { result, escaped } = await this.#setupStep(scope, fn).catch((error: unknown) => ({
          result: undefined,
          escaped: { error },
        }))
        if (!escaped) return result
        scope.notes.push(`${step} failed (${messageOf(escaped.error)}): not judged here`)
        return undefined
      },
      prerequisite: async (owner, step, fn) => {
        const fromOwner = (failure: CheckFailure) =>
          new PrerequisiteFailure(owner, `${step} failed: ${failure.message}`, failure)
        const { result, escaped } = await this.#setupStep(scope, fn).catch((error: unknown) => {
          throw error instanceof CheckFailure ? fromOwner(error) : error
        })
        if (escaped) {
          throw fromOwner(
            new CheckFailure(`${escaped.kind} from ${escaped.source}: ${messageOf(escaped.error)}`, {
              expected: 'errors reach the callback; nothing escapes the store',
              actual: `${escaped.kind} during ${step}`,
            }),
          )
        }
        return result
      },
      reader: async () => {
        const peer = await this.#reader()
        return peer && driverFor(peer)
      },
      ownInstance: async () => {
        if (!this.options.peer) return undefined
        const own = await this.options.peer()
        scope.ownInstances.push(own)
        return { store: driverFor(own.store), raw: own.store }
      },
      backendExpiry: async (sid) => this.options.backendExpiry?.(sid).catch(() => undefined),
      faultable: async () => {
        const open = this.options.faultable
        // Preflight skips fault checks where there is none: reaching this is a catalogue bug.
        if (!open) throw new Error('faultable() is only for checks marked `faults`')
        const own = await open()
        scope.ownInstances.push(own)
        let app: Promise<SessionApp> | undefined
        const sessionApp = async () => {
          app ??= this.#makeApp(own.store).then((made) => {
            // Closed before the instance it serves (own instances close last-in, first-out).
            scope.ownInstances.push({ store: own.store, close: () => made.close() })
            return made
          })
          const made = await app
          return { ...made, client: () => made.client(scope.id), lateErrors: () => made.lateErrors(scope.id) }
        }
        return { store: driverFor(own.store), raw: own.store, faults: own.faults, sessionApp }
      },
      outsideNamespace: async (marker) => this.options.outsideNamespace?.(marker),
    }
  }

  /**
   * Runs a check's setup step in a scope of its own, so an error the store lets escape meanwhile is
   * the step's (told apart from the check's own); a second callback or a block stays the check's.
   */
  async #setupStep<T>(scope: CheckScope, fn: () => Promise<T>): Promise<{ result: T; escaped?: StrayError }> {
    const setup = new CheckScope(scope.id, this.options.runId, this.options.callLog)
    try {
      const result = await scopeStorage.run(setup, fn)
      await new Promise((resolve) => setImmediate(resolve))
      return { result, escaped: setup.strayErrors.kept[0] }
    } finally {
      for (const [method, calls] of setup.doubleCallbacks)
        scope.doubleCallbacks.set(method, Math.max(calls, scope.doubleCallbacks.get(method) ?? 0))
      for (const block of setup.blocks.kept) scope.blocks.push(block)
    }
  }

  /** The run's second connection, opened when a check first asks and closed with the run. */
  #reader(): Promise<SessionStore | undefined> {
    this.#peer ??= this.options.peer ? this.options.peer() : Promise.resolve(undefined)
    return this.#peer.then((peer) => peer?.store)
  }

  /** A check's own instances are closed with it, within a deadline; a close that fails is its failure. */
  async #closeOwnInstances(scope: CheckScope): Promise<void> {
    for (const own of scope.ownInstances.splice(0).reverse()) {
      const closing = withDeadline(own.close(), CLOSE_OWN_MS, `did not finish within ${CLOSE_OWN_MS / 1000} s`)
      await closing.catch((error: unknown) => {
        scope.failure ??= new CheckFailure(`closing the check's own store instance failed: ${messageOf(error)}`, {
          expected: 'close() finishes',
          actual: messageOf(error),
        })
      })
    }
  }

  /** Measured once, in its own scope, by whichever timed check asks first. */
  timing(): Promise<StoreTiming> {
    this.#timing ??= (async () => {
      const probeScope = new CheckScope('(timing probe)', this.options.runId, this.options.callLog)
      probeScope.startedAt = performance.now()
      this.probeScope = probeScope
      const ctx = this.context(probeScope, this.options.signal ?? new AbortController().signal)
      try {
        const timing = await scopeStorage.run(probeScope, () =>
          measureTiming(
            { driver: ctx.store, newSid: ctx.newSid, session: ctx.session },
            this.options.capabilities.ttlGranularityMs,
          ),
        )
        this.timingValue = timing
        return timing
      } catch (error) {
        // Checks that wait for the timing fail with this one error; its window is the probe's.
        this.timingFailure = new CheckFailure(`could not measure the store's timing: ${messageOf(error)}`)
        this.timingWindow = { from: probeScope.startedAt, to: performance.now() }
        throw this.timingFailure
      } finally {
        void this.cleanup([...probeScope.sids])
      }
    })()
    return this.#timing
  }

  /** One app per configuration, shared by the checks that ask for it. */
  sessionApp(settings: SessionAppSettings = {}): Promise<SessionApp> {
    const key = JSON.stringify([settings.maxAgeMs, settings.rolling, settings.saveUninitialized, settings.onPeer])
    const existing = this.#apps.get(key)
    if (existing) return existing
    const store = settings.onPeer
      ? this.#reader().then((peer) => {
          if (!peer) throw new Error('no second store instance to serve a second app from (check ctx.reader() first)')
          return peer
        })
      : Promise.resolve(this.options.store)
    const app = store.then((target) => this.#makeApp(target, settings))
    this.#apps.set(key, app)
    return app
  }

  /** A real express-session app over `store`, whose requests run in the scope of the check that sent them. */
  #makeApp(store: SessionStore, settings: SessionAppSettings = {}): Promise<SessionApp> {
    return createSessionApp({
      store,
      secret: this.#secret,
      expressSession: this.options.expressSession,
      ...settings,
      requestTimeoutMs: this.options.timeoutMs * 3 + 1000,
      // Requests run in the scope of the check that sent them, so what the store throws while
      // serving one lands in that check.
      waitingOn: (checkId) => {
        const scope = this.scopes.get(checkId)
        return scope ? pendingCalls(scope) : []
      },
      enterScope: (checkId, next) => {
        const scope = this.scopes.get(checkId)
        return scope ? scopeStorage.run(scope, next) : next()
      },
      genid: () => {
        const sid = this.newSid()
        this.createdSids.add(sid)
        // Removed with the check whose request made it: a session left to expire during a later
        // check (the short rolling ones) would change what length() and all() count there.
        const scope = scopeStorage.getStore()
        if (scope && this.scopes.get(scope.id) === scope) scope.sids.add(sid)
        return sid
      },
    })
  }

  /** Destroys ids the run created; errors and misbehaviour here are not any check's business. */
  async cleanup(sids: readonly string[]): Promise<void> {
    if (sids.length === 0) return
    const ignore = new CheckScope('(cleanup)', this.options.runId)
    await scopeStorage.run(ignore, () =>
      Promise.all(
        sids.map(async (sid) => {
          await callStore(this.options.store, 'destroy', [sid], {
            timeoutMs: this.options.timeoutMs,
            onViolation: () => {},
          })
          this.createdSids.delete(sid)
        }),
      ),
    )
  }

  /** Closes the shared app and destroys every id the run created that is still there. */
  async close(): Promise<void> {
    const apps = [...this.#apps.values()]
    this.#apps.clear()
    for (const app of apps) await (await app.catch(() => undefined))?.close()
    await this.cleanup([...this.createdSids])
    const peer = this.#peer
    this.#peer = undefined
    const opened = await peer?.catch(() => undefined)
    await opened?.close().catch(() => {})
  }

  /**
   * Every call that held the event loop, and each check that was running meanwhile learns of it,
   * so a failure it caused says so.
   */
  blocks(extra: readonly CheckScope[]): BoundedList<LoopBlock> {
    const scopes = [...this.scopes.values(), ...extra, ...(this.probeScope ? [this.probeScope] : [])]
    const all = BoundedList.merge(scopes.map((scope) => scope.blocks))
    for (const block of all.kept) {
      const blockStart = block.endedAt - block.durationMs
      for (const scope of this.scopes.values()) {
        const overlaps = scope.startedAt < block.endedAt && scope.startedAt + scope.durationMs > blockStart
        if (overlaps && !scope.disturbedBy) scope.disturbedBy = block
      }
    }
    return all
  }

  /**
   * Results in catalogue order, recomputed so stray errors that arrived late still count. Double
   * callbacks are one defect however many checks saw them: they are reported once, by the check
   * that owns the callback contract, when it ran.
   */
  finalResults(): CheckResult[] {
    const collector = this.options.checks.find((check) => check.collectsDoubleCallbacks && this.scopes.has(check.id))
    const seen: string[] = []
    for (const [id, scope] of this.scopes) {
      for (const [method, calls] of scope.doubleCallbacks)
        seen.push(`${method}() called back ${calls} times (during ${id})`)
    }
    const results = this.options.checks.map((check) => {
      const scope = this.scopes.get(check.id)
      if (!scope) return this.results.get(check.id) as CheckResult
      const own = [...scope.doubleCallbacks].map(([method, calls]) => `${method}() called back ${calls} times`)
      const result = collector ? scope.toResult(check, check === collector ? seen : []) : scope.toResult(check, own)
      return this.#backendsFault(check, scope, result)
    })
    return results.map((result) => {
      const failure = this.scopes.get(result.id)?.failure
      if (result.status !== 'skip' || !(failure instanceof PrerequisiteFailure)) return result
      // The check that owns the defect did not report it: this one does, so it is never lost.
      if (results.find((other) => other.id === failure.owner)?.status === 'fail') return result
      const cause = failure.cause as CheckFailure
      const check = this.options.checks.find((entry) => entry.id === result.id) as Check
      const { reason: _reason, ...rest } = result
      const failed: CheckResult = {
        ...rest,
        status: 'fail' as const,
        message: `${failure.message} (${failure.owner} did not report it)`,
        expected: cause.expected,
        actual: cause.actual,
        impact: cause.impact ?? check.impact,
      }
      // A setup step that failed while the backend was down is the backend's, like any failure.
      return this.#backendsFault(check, this.scopes.get(result.id) as CheckScope, failed)
    })
  }

  /** A failure while the backend was down or had restarted is reported as the backend's fault. */
  #backendsFault(check: Check, scope: CheckScope, result: CheckResult): CheckResult {
    const faults = this.options.backendFaults
    if (result.status !== 'fail' || !faults) return result
    // A check that failed because the shared timing probe did is judged by the probe's window.
    const window =
      scope.failure !== undefined && scope.failure === this.timingFailure && this.timingWindow
        ? this.timingWindow
        : { from: scope.startedAt, to: scope.startedAt + scope.durationMs }
    const fault = faults.faultDuring(window.from, window.to)
    if (!fault) return result
    return skipResult(
      check,
      'backend-fault',
      `backend fault during the check: ${fault} (the check saw: ${result.message})`,
    )
  }
}

function interrupted(check: Check): CheckResult {
  return skipResult(check, 'interrupted', 'the run was interrupted before this check finished')
}

function preflightSkip(check: Check, options: ExecuteOptions, missing: readonly string[]): CheckResult | undefined {
  if (!options.isSelected(check)) return filteredResult(check)
  if (missing.length > 0 && check.group !== 'shape') {
    return skipResult(check, 'not-runnable', `the store has no ${missing.map((m) => `${m}()`).join(', ')}`)
  }
  if (check.faults && !options.faultable) {
    const why = options.faultsUnavailable ?? 'the tool can neither signal nor proxy this backend'
    return skipResult(check, 'no-faults', why)
  }
  const absent = check.requires.filter((capability) => !options.capabilities[capability])
  if (absent.length > 0)
    return skipResult(check, 'capability', `the store does not implement ${absent.map((c) => `${c}()`).join(', ')}`)
  return undefined
}

/** Whether the store held nothing before the run: the only state in which clear() is safe. */
async function probeEmpty(run: RunState, capabilities: ResolvedCapabilities, when: string): Promise<string> {
  const driver = createStoreDriver(run.options.store, run.options.timeoutMs, () => {})
  try {
    if (capabilities.length) {
      const count = await driver.length()
      return count === 0 ? 'empty' : `the store held ${count} session(s) ${when}`
    }
    if (capabilities.all) {
      const all = await driver.all()
      const count = countListed(all) ?? 0
      return count === 0 ? 'empty' : `the store held ${count} session(s) ${when}`
    }
    return 'cannot tell whether the store held other data (no length() or all())'
  } catch (error) {
    return `cannot tell whether the store held other data (${messageOf(error)})`
  }
}

/**
 * Why the store was not empty once the run removed its own sessions: if what is left is the run's
 * (its ids carry the run's prefix), destroy() did not remove them; otherwise another writer is there.
 */
async function whoseSessions(run: RunState): Promise<string> {
  if (!run.options.capabilities.all) return 'another writer is using the store, or the run could not remove its own'
  const driver = createStoreDriver(run.options.store, run.options.timeoutMs, () => {})
  const ids = listedIds(await driver.all().catch(() => undefined))
  const ours = ids.filter((id) => id.startsWith(run.sidPrefix)).length
  if (ours === 0) return 'another writer is using the store'
  return `${ours} of them are this run's own sessions, still there after destroy() (see destroy.removes)`
}
