import type { EventEmitter } from 'node:events'
import type expressSessionDefault from 'express-session'
import type { Environment } from './environment.js'

/** The express-session module, as passed to store factories (`require('connect-x')(session)`). */
export type ExpressSessionModule = typeof expressSessionDefault

/** A node-style callback as express-session passes them to stores. */
export type StoreCallback = (err?: unknown, value?: unknown, ...rest: unknown[]) => void

/**
 * The store as express-session sees it. Only get/set/destroy are required; everything else is
 * probed at run time, so a store from another copy of express-session is accepted as long as it
 * behaves the same way.
 */
export interface SessionStore extends Partial<EventEmitter> {
  get(sid: string, callback: StoreCallback): unknown
  set(sid: string, session: unknown, callback?: StoreCallback): unknown
  destroy(sid: string, callback?: StoreCallback): unknown
  touch?(sid: string, session: unknown, callback?: StoreCallback): unknown
  length?(callback: StoreCallback): unknown
  all?(callback: StoreCallback): unknown
  clear?(callback?: StoreCallback): unknown
  createSession?(req: object, data: object): unknown
  load?(sid: string, callback: StoreCallback): unknown
  regenerate?(req: object, callback: StoreCallback): unknown
}

/** Methods express-session calls (get/set/destroy, touch) or that users call (length/all/clear). */
export type StoreMethod = 'get' | 'set' | 'destroy' | 'touch' | 'length' | 'all' | 'clear'

/**
 * The calls express-session makes per request, as promises: a store's callback API wrapped
 * (see store-calls.ts), a backend's raw client, or the bench's no-op target.
 */
export interface StoreCalls {
  get(sid: string): Promise<unknown>
  set(sid: string, session: unknown): Promise<void>
  touch(sid: string, session: unknown): Promise<void>
  destroy(sid: string): Promise<void>
}

/** Optional store features a check can depend on. Required methods never get a flag. */
export type Capability = 'touch' | 'length' | 'all' | 'clear'

/** What a store module may declare about itself; anything left out is detected. */
export interface DeclaredCapabilities {
  /** Whether the store implements touch. Detected from `typeof store.touch` when omitted. */
  touch?: boolean
  length?: boolean
  all?: boolean
  clear?: boolean
  /**
   * How coarse the store's expiry clock is, in milliseconds: 0 for stores that compare
   * `cookie.expires` to `Date.now()`, 1000 for stores that keep whole seconds (Redis EXPIRE,
   * PostgreSQL/MySQL second columns). Detected with a short probe when omitted.
   */
  ttlGranularityMs?: number
}

/** Capabilities after detection: every flag is known. */
export interface ResolvedCapabilities {
  readonly touch: boolean
  readonly length: boolean
  readonly all: boolean
  readonly clear: boolean
  /** Declared granularity, if any; otherwise the runner measures it when a TTL check needs it. */
  readonly ttlGranularityMs: number | undefined
}

/** What produced a run's results: reported with it. */
export interface StoreInfo {
  /** The npm package under test and its installed version (built-in adapters). */
  readonly package?: string
  readonly version?: string
  /** Options the adapter pins, each with why. */
  readonly pinned?: Readonly<Record<string, string>>
  /** How the adapter kept to its own namespace. */
  readonly isolation?: string
  /** The backend, and how it was provided (env URL, local binary, container). */
  readonly backend?: {
    readonly kind: string
    readonly source?: string
    readonly version?: string
    /** The environment variable that points the store at a server of the user's own (REDIS_URL). */
    readonly envVar?: string
  }
  /** Where the run writes on the backend (key prefix, schema, table, directory): what to delete by hand. */
  readonly namespace?: string
}

/**
 * A store module in its normalised form. A user's module may export a factory function, a Store
 * instance, or this object; `loadStoreModule` turns each into a provider.
 */
export interface StoreProvider {
  /** Shown in reports: a built-in name or the module path. */
  readonly name: string
  create(session: ExpressSessionModule): SessionStore | Promise<SessionStore>
  close?(store: SessionStore): void | Promise<void>
  capabilities?: DeclaredCapabilities
  /** Called after create(): what is being tested, for the report. */
  info?(): StoreInfo
  /**
   * Which backend server process answers (a Redis run_id, PostgreSQL's start time), asked with a
   * connection of its own: a change during the run means the backend restarted.
   */
  backendInstance?(timeoutMs: number): Promise<string>
  /**
   * A fresh store instance whose backend the fault checks can make stall or go away (signals to a
   * server the tool started, or a TCP proxy in front of the backend). Absent where neither is
   * possible; `faultsUnavailable` then says why.
   */
  faultable?(session: ExpressSessionModule): Promise<FaultableStore>
  /** Why this store's backend cannot be faulted (an in-process store, a module that named no address). */
  readonly faultsUnavailable?: string
  /** The backend's address a module declared (`upstream`): where its faults go, and its raw baseline in the bench. */
  readonly upstream?: string
  /**
   * Names outside the run's namespace that contain `marker` (files beside the store's directory,
   * keys outside its prefix, tables outside its own): what a hostile session id may have reached.
   * Undefined where the backend cannot be searched.
   */
  outsideNamespace?(marker: string): Promise<readonly string[] | undefined>
  /** How long create() may take. @default 15000 */
  createTimeoutMs?: number
  /**
   * A second store on the same data through a connection of its own, as another app process has:
   * checks read through it to see what the backend holds, and misbehave on it without harming the
   * run's store. Absent where there can be none (a module that exports one store instance).
   */
  peer?(session: ExpressSessionModule): Promise<PeerStore>
  /**
   * When the backend itself will drop `sid`'s entry (epoch ms; null: never), read from the
   * backend (a Redis PTTL, an expiry column); undefined where it cannot tell.
   */
  backendExpiry?(sid: string): Promise<number | null | undefined>
}

/**
 * Faults on one store instance's backend, as the checks drive them. Whichever way they are made,
 * `stall` leaves connections open with no answer, `down` resets them and refuses new ones, and
 * `heal` undoes either.
 */
export interface BackendFaultControl {
  /** How the faults are made, for messages (e.g. "SIGSTOP/SIGKILL to a redis-server the tool started"). */
  readonly method: string
  stall(): Promise<void>
  down(): Promise<void>
  /** Back to normal; resolves once the backend itself answers again (the store may take longer). */
  heal(): Promise<void>
  /** Whether data written before `down()` is still there after `heal()` (a stall always keeps it). */
  readonly downKeepsData: boolean
}

/** A store instance made for the fault checks, with its backend's faults; close() heals first. */
export interface FaultableStore {
  readonly store: SessionStore
  readonly faults: BackendFaultControl
  close(): Promise<void>
}

/** What a module's create() may receive as its second argument. */
export interface CreateOptions {
  /**
   * Where to connect instead of the backend the module declared (`upstream`): a fault proxy in
   * front of it. Present only for the fault checks' instances.
   */
  readonly connectTo?: { readonly host: string; readonly port: number; readonly url: string }
}

/** A second store instance on the run's data, and how to let it go. */
export interface PeerStore {
  readonly store: SessionStore
  close(): Promise<void>
}

/** The object form a store module may export. */
export interface StoreModuleObject {
  create(session: ExpressSessionModule, options?: CreateOptions): SessionStore | Promise<SessionStore>
  /**
   * The backend's address (a URL or host:port). Declaring it lets the fault checks run: they put a
   * TCP proxy in front of it and call create() with `connectTo`, where the store must connect.
   */
  readonly upstream?: string
  close?(store: SessionStore): void | Promise<void>
  capabilities?: DeclaredCapabilities
  /**
   * Names outside the store's namespace that contain `marker` (files beside its directory, keys
   * outside its prefix): lets safety.hostile-ids see what a hostile session id reached. Left out,
   * that part of the check is noted as not searchable.
   */
  outsideNamespace?(marker: string): Promise<readonly string[] | undefined>
}

export type Level = 'required' | 'recommended' | 'optional'

export type CheckGroup =
  | 'shape'
  | 'core'
  | 'callbacks'
  | 'isolation'
  | 'ttl'
  | 'serialization'
  | 'touch'
  | 'length'
  | 'all'
  | 'clear'
  | 'express'
  | 'races'
  | 'resilience'
  | 'safety'

/** Timing facts the TTL checks share: measured once per run, lazily. */
export interface StoreTiming {
  /** Coarseness of the store's expiry clock (ms), declared or detected. */
  readonly granularityMs: number
  readonly granularitySource: 'declared' | 'detected' | 'assumed'
  /** The median call latency, measured after a warm-up (ms). */
  readonly latencyMs: number
  /** Extra time allowed on both sides of a deadline for timers and the event loop (ms). */
  readonly slackMs: number
}

/** A session as the store receives it: a real express-session `Session` with a real `Cookie`. */
export interface SessionInput {
  readonly id: string
  cookie: {
    expires: Date | null | undefined
    maxAge: number | null | undefined
    originalMaxAge: number | null | undefined
    [key: string]: unknown
  }
  touch(): unknown
  [key: string]: unknown
}

/** How a cookie for a test session is shaped. */
export interface CookieSpec {
  /** Lifetime in ms from now; `null` gives a browser-session cookie (no expiry). */
  maxAge?: number | null
  /** Absolute expiry; overrides maxAge for `expires`, keeping `originalMaxAge` from maxAge. */
  expires?: Date
}

/** The store wrapped for checks: each call has a timeout and turns misbehaviour into a failure. */
export interface StoreDriver {
  get(sid: string): Promise<unknown>
  set(sid: string, session: unknown): Promise<void>
  destroy(sid: string): Promise<void>
  touch(sid: string, session: unknown): Promise<void>
  length(): Promise<number>
  all(): Promise<unknown>
  clear(): Promise<void>
  /** The raw outcome of one call, for checks about the callback contract itself. */
  call(method: StoreMethod, args: unknown[], options?: CallOptions): Promise<CallOutcome>
}

export interface CallOptions {
  /** Leave the callback out entirely (express-session does for `req.session.destroy()`). */
  omitCallback?: boolean
  /** Replace the callback's body; its calls are still counted. */
  onCallback?: (args: unknown[]) => void
  /**
   * The input is so large that any store's synchronous serialisation holds the event loop (a
   * 16 MiB session): a long synchronous part is the check's doing here, not a store defect.
   */
  expectBlocking?: boolean
}

/** What happened when a store method was called once. */
export type CallOutcome =
  | {
      readonly kind: 'callback'
      readonly error: unknown
      readonly value: unknown
      readonly args: readonly unknown[]
      /** The callback ran before the method returned (tolerated: express-session supports sync stores). */
      readonly synchronous: boolean
      readonly durationMs: number
      /** How many times the callback ran in total (updated as late calls arrive). */
      readonly calls: () => number
      /** The arguments of the most recent call, e.g. the error a store's catch block passed the second time. */
      readonly lastArgs: () => readonly unknown[]
    }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timeout'; readonly timeoutMs: number; readonly calls: () => number }
  | { readonly kind: 'returned'; readonly durationMs: number; readonly calls: () => number }

/** express-session options an express check needs other than the shared app's. */
export interface SessionAppSettings {
  /** cookie.maxAge in ms. @default 10 minutes */
  readonly maxAgeMs?: number
  /** Reset the cookie's expiry on every response (express-session's `rolling`). @default false */
  readonly rolling?: boolean
  /** express-session's `saveUninitialized`. @default false */
  readonly saveUninitialized?: boolean
  /**
   * Serve the app from the run's second store instance (ctx.reader()'s), as a second app server
   * behind a load balancer would; the app is unavailable where there is none.
   */
  readonly onPeer?: boolean
}

/**
 * Holds a request at one of the store calls express-session makes for it, so a check can order
 * two overlapping requests exactly. `before`: the call is held before it reaches the store;
 * `after`: the store has answered and the answer is held back from express-session.
 */
export interface StoreCallGate {
  readonly method: 'get' | 'set' | 'destroy' | 'touch'
  readonly at: 'before' | 'after'
  /** Resolves when a request of the client reached the gate (the call is being held). */
  readonly reached: Promise<void>
  /** Lets the held call go on. */
  open(): void
}

export interface AppResponse {
  readonly status: number
  readonly body: Record<string, unknown>
}

/** A browser-like client: keeps the session cookie between requests. */
export interface SessionClient {
  /** The session id the client's cookie carries, if any. */
  readonly sid: string | undefined
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<AppResponse>
  /** Sends this client's cookie (a second tab of the same browser, a second app server's client). */
  withCookieOf(other: SessionClient): void
  /**
   * Holds this client's next request at its first `method` call (see StoreCallGate); the gate is
   * spent once it has held one call.
   */
  gate(method: StoreCallGate['method'], at: StoreCallGate['at']): StoreCallGate
  /** The store calls this client's requests made, in order (e.g. `get`, `touch`), for reports. */
  readonly calls: readonly string[]
}

/** A real Express app with real express-session over the store, on a loopback port. */
export interface SessionApp {
  readonly baseUrl: string
  /**
   * Errors express-session passed to next() after the response had started (set/touch errors),
   * for the requests one check sent.
   */
  lateErrors(checkId?: string): readonly string[]
  /** A new client; `checkId` tags its requests so the server handles them in that check's scope. */
  client(checkId?: string): SessionClient
  close(): Promise<void>
}

export interface CheckContext {
  /** The store, wrapped: every call has the per-call timeout and is attributed to this check. */
  readonly store: StoreDriver
  /** The store object itself, for shape checks. */
  readonly raw: SessionStore
  readonly capabilities: ResolvedCapabilities
  /** The express-session module the checks build sessions with. */
  readonly expressSession: ExpressSessionModule
  /** A fresh session id inside this run's namespace; destroyed after the check. */
  newSid(): string
  /** A real `Session` as express-session builds it, with `data` merged in. */
  session(sid: string, data?: Record<string, unknown>, cookie?: CookieSpec): SessionInput
  /** Granularity and latency, measured once per run. */
  timing(): Promise<StoreTiming>
  /** Resolves at the given epoch time (ms); explicit waits keep TTL checks honest. */
  sleepUntil(epochMs: number): Promise<void>
  /** Records a tolerated deviation: the check ends as `warn` unless it fails. */
  warn(message: string): void
  /** Records a note shown with a passing result (e.g. which `all()` shape the store uses). */
  note(message: string): void
  /** Marks an error the check provokes on purpose, so its escape is not held against the store. */
  expectError(error: object): void
  /**
   * A real express app with express-session over this store, shared by the run; with `settings`,
   * one configured so (a short rolling cookie), shared by the checks that ask for the same.
   */
  sessionApp(settings?: SessionAppSettings): Promise<SessionApp>
  /** The per-call timeout in ms. */
  readonly callTimeoutMs: number
  /** Which attempt this is (1, 2, 3): a check that was inconclusive runs again with wider margins. */
  readonly attempt: number
  /** Ends this attempt as inconclusive (timing could not decide): the runner measures again. */
  inconclusive(message: string): never
  /**
   * Runs a setup step whose failure is a defect `owner` reports: this check then says it depended
   * on it instead of reporting the same defect again.
   */
  prerequisite<T>(owner: string, step: string, fn: () => Promise<T>): Promise<T>
  /**
   * Runs a setup step outside what the check judges (planting data express-session itself never
   * writes): whatever it throws or lets escape is noted, not held against the store; undefined then.
   */
  outsideVerdict<T>(step: string, fn: () => Promise<T>): Promise<T | undefined>
  /**
   * A second store on the run's data through a connection of its own (shared by the run), for
   * reading what the backend holds; undefined where the factory cannot make one.
   */
  reader(): Promise<StoreDriver | undefined>
  /** A fresh instance for this check alone, closed (within a deadline) when the check ends. */
  ownInstance(): Promise<{ readonly store: StoreDriver; readonly raw: SessionStore } | undefined>
  /** When the backend itself will drop `sid` (epoch ms, null: never); undefined if it cannot tell. */
  backendExpiry(sid: string): Promise<number | null | undefined>
  /**
   * A fresh store instance (closed with the check, its backend healed first) whose backend this
   * check can make fail; only for checks marked `faults`, which the runner skips where none exists.
   */
  faultable(): Promise<FaultableInstance>
  /** See StoreProvider.outsideNamespace; undefined where the backend cannot be searched. */
  outsideNamespace(marker: string): Promise<readonly string[] | undefined>
}

/** A check's store instance whose backend it can make fail. */
export interface FaultableInstance {
  readonly store: StoreDriver
  readonly raw: SessionStore
  readonly faults: BackendFaultControl
  /** A real express app with express-session over this instance, for this check alone. */
  sessionApp(): Promise<SessionApp>
}

/** A conformance check, declared as data. */
export interface Check {
  /** Stable id used by filters, reports and baselines, e.g. `get.miss-returns-nothing`. */
  readonly id: string
  readonly group: CheckGroup
  readonly level: Level
  /** States the contract, e.g. "get() of an unknown id calls back with no error and no session". */
  readonly title: string
  /** What a failure costs an express-session user. */
  readonly impact: string
  /**
   * Why the check has its level. The rule: a defect that loses or corrupts user data, logs users
   * out, or hangs requests under express-session's default or recommended options is `required`.
   */
  readonly levelReason: string
  readonly requires: readonly Capability[]
  /** Observes the whole store (length, all, clear): runs alone, after the concurrent phase. */
  readonly exclusive?: boolean
  /** Needs a store with nothing in it: runs alone, before anything else writes. */
  readonly emptyStore?: boolean
  /**
   * Misbehaves on purpose (its callbacks throw): runs last and alone, on an instance of its own
   * where the factory can make one, so its damage cannot reach another check's verdict.
   */
  readonly misbehaves?: boolean
  /** Removes data it did not create: runs only on a store that was empty, or with allowClear. */
  readonly destructive?: boolean
  /**
   * Makes the backend fail (ctx.faultable()): runs one at a time after the concurrent phase, and is
   * skipped where the tool can neither signal nor proxy the backend.
   */
  readonly faults?: boolean
  /** Waits on the store's clock: started first so the waits overlap. */
  readonly timed?: boolean
  /**
   * Owns the exactly-once rule: double callbacks seen in any check are reported here, once,
   * instead of failing every check that happened to call the method.
   */
  readonly collectsDoubleCallbacks?: boolean
  run(ctx: CheckContext): Promise<void>
}

export type SkipReason =
  | 'capability'
  | 'filtered'
  | 'unsafe'
  | 'not-runnable'
  | 'unavailable'
  | 'interrupted'
  /** The backend restarted or stopped answering while the check ran: its failure is not the store's. */
  | 'backend-fault'
  /** Timing could not decide on any attempt (the machine was too busy): no verdict, not a pass. */
  | 'inconclusive'
  /** Could not set up: a defect another check reports got in the way (the message names it). */
  | 'prerequisite'
  /** The tool can neither signal nor proxy the store's backend (the message says why). */
  | 'no-faults'

interface ResultBase {
  readonly id: string
  readonly group: CheckGroup
  readonly level: Level
  readonly title: string
  readonly durationMs: number
}

export interface PassResult extends ResultBase {
  readonly status: 'pass'
  readonly message?: string
}

export interface WarnResult extends ResultBase {
  readonly status: 'warn'
  readonly message: string
}

export interface FailResult extends ResultBase {
  readonly status: 'fail'
  readonly message: string
  readonly expected?: string
  readonly actual?: string
  readonly impact: string
}

export interface SkipResult extends ResultBase {
  readonly status: 'skip'
  readonly reason: SkipReason
  readonly message: string
}

export type CheckResult = PassResult | WarnResult | FailResult | SkipResult
export type CheckStatus = CheckResult['status']

export interface RunSummary {
  readonly passed: number
  readonly failed: number
  readonly warned: number
  readonly skipped: number
}

/**
 * What went wrong with the run as a whole rather than in one check. Each fails the run, whatever
 * the checks said: the results cannot be complete or trusted.
 */
export type RunProblemKind =
  /** An error escaped the store outside any check (RunReport.strayErrors). */
  | 'stray-error'
  /** Closing the store or removing the run's data failed (RunReport.cleanupError). */
  | 'cleanup-failed'
  /** A store call held the event loop. */
  | 'event-loop-blocked'
  /** The store's process exited or was killed before the run finished. */
  | 'store-exited'
  /** The store's process ran out of its memory cap. */
  | 'out-of-memory'
  /** The store's process stopped answering: its event loop never came back. */
  | 'store-hung'
  /** The store replaced built-ins the checks rely on. */
  | 'tampered'
  /** The store's process sent something that was not a result of this run. */
  | 'protocol'
  /** The run was stopped by a signal (Ctrl-C, SIGTERM). */
  | 'interrupted'
  /** The backend restarted or stopped answering during the run: the checks it affected are not verdicts. */
  | 'backend-fault'
  /** The store threw where the runner itself reads it (a Proxy, a getter): the run could not go on. */
  | 'run-aborted'

export interface RunProblem {
  readonly kind: RunProblemKind
  readonly message: string
}

export interface RunReport {
  readonly schemaVersion: 1
  readonly tool: { readonly name: string; readonly version: string }
  readonly store: StoreInfo & {
    readonly name: string
    /** Why the store could not be run at all (its backend is unavailable); every check is skipped. */
    readonly unavailable?: string
    /** Whether an unavailable backend counts as a failure (--require). */
    readonly required?: boolean
    /** The store could not be run because of an error (a bad URL, a server that would not start). */
    readonly error?: string
  }
  readonly startedAt: string
  readonly durationMs: number
  readonly capabilities: ResolvedCapabilities
  /** Present when a TTL check ran. */
  readonly timing?: StoreTiming
  readonly summary: RunSummary
  readonly results: readonly CheckResult[]
  /** Errors that escaped the store outside any check (while creating it, or between checks). */
  readonly strayErrors?: readonly string[]
  /** Closing the store failed or timed out: something may be left behind (it says what). */
  readonly cleanupError?: string
  /** Run-level problems other than the two above; see runProblems() for all of them. */
  readonly problems?: readonly RunProblem[]
}

/** Events a reporter can follow while a run is in progress. */
export interface RunObserver {
  /** The store was created: its name, the checks that will run, and what it is (namespace, backend). */
  onRunStart?(info: { store: string; checks: readonly Check[]; info?: StoreInfo }): void
  /** A check started calling the store. */
  onCheckStart?(checkId: string): void
  onCheckResult?(result: CheckResult): void
}

/** Which level of failure makes the run fail. */
export type Gate = 'required' | 'recommended'

/** Every built-in store's conformance report, side by side. */
export interface MatrixReport {
  readonly schemaVersion: 1
  readonly tool: { readonly name: string; readonly version: string }
  readonly generatedAt: string
  readonly environment: Environment
  /** One conformance report per store, in the order asked for. */
  readonly reports: readonly RunReport[]
}
