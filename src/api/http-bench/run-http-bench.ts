import { type MeasureWindow, type Sampled, sampleInRounds, WindowFailed } from '../../bench/adaptive.js'
import { DEFAULT_TARGET_PCT } from '../../bench/bench-options.js'
import { sidesOf } from '../../bench/cells.js'
import { type LoadOptions, loadWindow } from '../../bench/http/load.js'
import { openLoadWindow } from '../../bench/http/open-load.js'
import type { HttpCell, HttpFailure, HttpOpenLoopCell, HttpReport, HttpSetupInfo } from '../../bench/http/report.js'
import { HTTP_SCENARIOS, type HttpScenario } from '../../bench/http/scenarios.js'
import { COOKIE_SESSION, type HttpSetup, NO_SESSION } from '../../bench/http/setups.js'
import { isResolved } from '../../bench/interval.js'
import type { OpenLoopMeasurement } from '../../bench/open-loop.js'
import { PAYLOAD_BYTES, type PayloadSize } from '../../bench/payloads.js'
import { ConformanceError, firstLineOf } from '../../core/errors.js'
import { packageVersion } from '../../core/package-version.js'
import { AppStartFailed, type RunningApp, startApp } from './app-server.js'

/** A store the HTTP bench puts behind express-session: its name in the report, and what the app opens. */
export interface HttpStore {
  readonly name: string
  /** A built-in store's name, or the absolute path of a store module. */
  readonly spec: string
}

export interface HttpBenchOptions {
  readonly stores: readonly HttpStore[]
  /** Where a relative module path resolves. @default process.cwd() */
  readonly cwd?: string
  /** The backend's URL, for built-in stores on one backend kind. */
  readonly url?: string | undefined
  /** The session each signed-in user carries. @default 4KB */
  readonly payload?: PayloadSize
  /** Connections, one request in flight each. @default 16 */
  readonly connections?: number
  /** One window of load per setup (ms). @default 500 (quick: 250) */
  readonly windowMs?: number
  /** A cell is resolved once its req/s and the share of no-session it keeps are known to ±this %. @default 5 */
  readonly targetPct?: number
  /** How long a cell may sample before it is reported unresolved (ms). @default 8000 (quick: 2000) */
  readonly cellCapMs?: number
  /** Open loop: requests per second to offer the browse scenario at, every setup; several are a sweep. */
  readonly rates?: readonly number[]
  /** Scenario names (browse, login, read-heavy, write-heavy). @default all */
  readonly scenarios?: readonly string[]
  readonly quick?: boolean
  /** A request that takes longer fails its window (ms). @default 10000 */
  readonly timeoutMs?: number | undefined
  readonly signal?: AbortSignal
  readonly onProgress?: (message: string, done: number, total: number) => void
}

export const HTTP_DEFAULTS = { connections: 16, windowMs: 500, cellCapMs: 8000, payload: '4KB' } as const
export const HTTP_QUICK = { windowMs: 250, cellCapMs: 2000 } as const
/** Windows of unmeasured load a fresh app gets before any window is measured. */
const APP_WARMUP_WINDOWS = 4

/**
 * Whole requests over HTTP: the same Express app (bench/http/app.ts) with no session, with
 * cookie-session, and with express-session on each store, every setup in a process of its own
 * on loopback, loaded by autocannon from this process. For each scenario, each setup is measured
 * in windows paired with no-session's (ABBA, in rounds, until its req/s and the share of
 * no-session's it keeps are steady): what a session setup costs a server, per request. Every app
 * process is stopped, and every store closed (its namespace removed), before this returns.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpReport> {
  const settings = httpSettings(options)
  const setups: HttpSetup[] = [
    NO_SESSION,
    COOKIE_SESSION,
    ...options.stores.map((store) => ({
      kind: 'store' as const,
      name: store.name,
      spec: store.spec,
      url: options.url,
    })),
  ]
  const apps = new Map<string, RunningApp>()
  const infos: HttpSetupInfo[] = []
  const cookies = new Map<string, string[]>()
  try {
    for (const setup of setups) {
      options.signal?.throwIfAborted()
      options.onProgress?.(`starting the app for ${setup.name}`, 0, 0)
      const app = await startApp({
        setup,
        payloadBytes: PAYLOAD_BYTES[settings.payload],
        cwd: options.cwd ?? process.cwd(),
      }).catch((error: unknown) => {
        if (error instanceof AppStartFailed && error.unavailable) {
          infos.push({ name: setup.name, kind: setup.kind, unavailable: error.message })
          return undefined
        }
        throw new ConformanceError(
          'SC_STORE_CREATE_FAILED',
          `${setup.name}: the HTTP bench's app could not start: ${firstLineOf(error)}`,
        )
      })
      if (!app) continue
      apps.set(setup.name, app)
      const signedIn = await signIn(app.url, settings.connections)
      cookies.set(setup.name, signedIn)
      // A fresh app serves a third of its later rate for its first seconds (JIT): warm it up unmeasured.
      const [browse] = HTTP_SCENARIOS as [HttpScenario]
      await warmUp(app.url, browse, {
        connections: settings.connections,
        durationMs: settings.windowMs * APP_WARMUP_WINDOWS,
        timeoutMs: settings.timeoutMs,
        cookies: signedIn,
      })
      infos.push({
        name: setup.name,
        kind: setup.kind,
        ...(setup.kind === 'cookie-session' ? { cookieBytes: Math.max(0, ...signedIn.flatMap(cookieLengths)) } : {}),
      })
    }
    const failures: HttpFailure[] = []
    const measured = setups.filter((setup) => setup !== NO_SESSION && apps.has(setup.name))
    const planned = settings.scenarioList.flatMap((scenario) => measured.map((setup) => ({ scenario, setup })))
    // Setups already warmed up on a scenario: no-session is paired with every setup, and warms up once.
    const warmed = new Set<string>()
    const window = (setup: HttpSetup, scenario: HttpScenario): MeasureWindow => {
      const app = apps.get(setup.name) as RunningApp
      const load = {
        connections: settings.connections,
        durationMs: settings.windowMs,
        timeoutMs: settings.timeoutMs,
        cookies: cookies.get(setup.name),
      }
      return async ({ window: index }) => {
        try {
          // The first time a setup serves a scenario, a half window unmeasured: JIT, pools, connections.
          const key = `${setup.name}|${scenario.name}`
          if (!warmed.has(key)) await warmUp(app.url, scenario, { ...load, durationMs: settings.windowMs / 2 })
          warmed.add(key)
          return await loadWindow(app.url, scenario, load)
        } catch (error) {
          failures.push({ setup: setup.name, scenario: scenario.name, window: index + 1, error: firstLineOf(error) })
          throw new WindowFailed()
        }
      }
    }
    const sampled = await sampleInRounds(
      planned.map(({ scenario, setup }) => ({
        headline: 'opsPerSec' as const,
        sides: { store: window(setup, scenario), raw: window(NO_SESSION, scenario) },
      })),
      {
        targetPct: settings.targetPct,
        capMs: settings.cellCapMs,
        signal: options.signal,
        onTurn: (index, round, done) => {
          const { scenario, setup } = planned[index] as (typeof planned)[number]
          options.onProgress?.(`http round ${round + 1} · ${setup.name} · ${scenario.name}`, done, planned.length)
        },
      },
    )
    const openLoop = await measureOpenLoop(settings, apps, cookies, failures, options)
    return {
      settings: {
        connections: settings.connections,
        windowMs: settings.windowMs,
        targetPct: settings.targetPct,
        cellCapMs: settings.cellCapMs,
        payload: settings.payload,
        scenarios: settings.scenarioList.map(({ name, describes }) => ({ name, describes })),
        closedLoop: true,
        ...(settings.rates.length > 0
          ? { openLoop: { rates: settings.rates, scenario: OPEN_LOOP_SCENARIO, windowMs: openLoopWindowMs(settings) } }
          : {}),
      },
      environment: {
        autocannon: packageVersion('autocannon'),
        express: packageVersion('express'),
        cookieSession: packageVersion('cookie-session'),
      },
      setups: infos,
      cells: httpCells(planned, sampled, settings.targetPct),
      openLoop,
      failures,
    }
  } finally {
    await Promise.all([...apps.values()].map((app) => app.stop()))
  }
}

/** The scenario offered at constant rates: a signed-in user browsing, one request standing alone. */
const OPEN_LOOP_SCENARIO = 'browse'

const openLoopWindowMs = (settings: ReturnType<typeof httpSettings>) => 2 * settings.windowMs

/**
 * The open loop (`rates`): every setup, no-session included, offered the browse scenario at each
 * rate, sampled in rounds; latency from each request's due time, so a stall counts for every
 * request that arrived during it.
 */
async function measureOpenLoop(
  settings: ReturnType<typeof httpSettings>,
  apps: ReadonlyMap<string, RunningApp>,
  cookies: ReadonlyMap<string, string[]>,
  failures: HttpFailure[],
  options: HttpBenchOptions,
): Promise<HttpOpenLoopCell[]> {
  if (settings.rates.length === 0) return []
  const scenario = HTTP_SCENARIOS.find((entry) => entry.name === OPEN_LOOP_SCENARIO) as HttpScenario
  const planned = settings.rates.flatMap((rate) => [...apps.keys()].map((setup) => ({ rate, setup })))
  const sampled = await sampleInRounds(
    planned.map(({ rate, setup }) => ({
      headline: 'p50' as const,
      sides: {
        store: async ({ window }) => {
          const app = apps.get(setup) as RunningApp
          try {
            return await openLoadWindow(app.url, scenario, {
              ratePerSec: rate,
              durationMs: openLoopWindowMs(settings),
              cookies: cookies.get(setup),
              timeoutMs: settings.timeoutMs,
            })
          } catch (error) {
            failures.push({
              setup,
              scenario: `${scenario.name} at ${rate}/s`,
              window: window + 1,
              error: firstLineOf(error),
            })
            throw new WindowFailed()
          }
        },
      },
    })),
    {
      targetPct: settings.targetPct,
      capMs: settings.cellCapMs,
      signal: options.signal,
      onTurn: (index, round, done) => {
        const { rate, setup } = planned[index] as (typeof planned)[number]
        options.onProgress?.(`http open loop round ${round + 1} · ${setup} · ${rate}/s`, done, planned.length)
      },
    },
  )
  return planned.flatMap(({ rate, setup }, index) => {
    const { resolved, elapsedMs, ...windows } = sampled[index] as Sampled
    const { store } = sidesOf(windows, 'p50')
    if (!store) return []
    const measured = store.windows as OpenLoopMeasurement[]
    return [
      {
        setup,
        scenario: scenario.name,
        ratePerSec: rate,
        windows: measured,
        resolved,
        elapsedMs,
        saturated: measured.some((window) => window.saturated),
        ...store.figures,
      },
    ]
  })
}

/** The report's cells: no-session per scenario (from every window it was paired in), then each setup's. */
function httpCells(
  planned: readonly { scenario: HttpScenario; setup: HttpSetup }[],
  sampled: readonly Sampled[],
  targetPct: number,
): HttpCell[] {
  const cells: HttpCell[] = []
  for (const scenario of new Set(planned.map((entry) => entry.scenario))) {
    const indices = planned.flatMap((entry, index) => (entry.scenario === scenario ? [index] : []))
    const baseline = indices.flatMap((index) => [...((sampled[index] as Sampled).raw ?? [])])
    const elapsed = indices.reduce((sum, index) => sum + (sampled[index] as Sampled).elapsedMs, 0)
    const { store: pooled } = sidesOf({ store: baseline }, 'opsPerSec')
    if (pooled)
      cells.push({
        setup: NO_SESSION.name,
        kind: 'no-session',
        scenario: scenario.name,
        windows: pooled.windows,
        resolved: isResolved(pooled.figures.opsPerSec, targetPct),
        // Its windows were taken in every setup's cell, interleaved with theirs.
        elapsedMs: elapsed / 2,
        ...pooled.figures,
      })
    for (const index of indices) {
      const { setup } = planned[index] as (typeof planned)[number]
      const { resolved, elapsedMs, ...windows } = sampled[index] as Sampled
      const sides = sidesOf(windows, 'opsPerSec')
      if (!sides.store) continue
      cells.push({
        setup: setup.name,
        kind: setup.kind,
        scenario: scenario.name,
        windows: sides.store.windows,
        resolved,
        elapsedMs,
        ...sides.store.figures,
        ...(sides.ratio ? { kept: sides.ratio } : {}),
      })
    }
  }
  return cells
}

/** Unmeasured load; what fails here fails again in the first measured window, which records it. */
async function warmUp(url: string, scenario: HttpScenario, options: LoadOptions): Promise<void> {
  await loadWindow(url, scenario, options).catch(() => {})
}

/** Signs `count` users in (one per connection): the cookies each session came with. */
async function signIn(url: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const response = await fetch(`${url}/seed`, { method: 'POST' })
      if (!response.ok) throw new Error(`signing a user in answered ${response.status}`)
      await response.arrayBuffer()
      return response.headers
        .getSetCookie()
        .map((cookie) => cookie.split(';')[0])
        .join('; ')
    }),
  )
}

/** The length of each `name=value` in a Cookie header: what a browser's per-cookie limit counts. */
function cookieLengths(header: string): number[] {
  return header ? header.split('; ').map((cookie) => cookie.length) : []
}

function httpSettings(options: HttpBenchOptions) {
  const quick = options.quick === true
  const names = options.scenarios ?? HTTP_SCENARIOS.map((scenario) => scenario.name)
  const unknown = names.filter((name) => !HTTP_SCENARIOS.some((scenario) => scenario.name === name))
  if (unknown.length > 0)
    throw new ConformanceError(
      'SC_BAD_OPTION',
      `unknown HTTP scenario ${unknown.join(', ')} (use ${HTTP_SCENARIOS.map((scenario) => scenario.name).join(', ')})`,
    )
  return {
    connections: options.connections ?? HTTP_DEFAULTS.connections,
    windowMs: options.windowMs ?? (quick ? HTTP_QUICK.windowMs : HTTP_DEFAULTS.windowMs),
    targetPct: options.targetPct ?? DEFAULT_TARGET_PCT,
    cellCapMs: options.cellCapMs ?? (quick ? HTTP_QUICK.cellCapMs : HTTP_DEFAULTS.cellCapMs),
    payload: options.payload ?? HTTP_DEFAULTS.payload,
    timeoutMs: options.timeoutMs ?? 10_000,
    scenarioList: HTTP_SCENARIOS.filter((scenario) => names.includes(scenario.name)),
    rates: [...(options.rates ?? [])].sort((a, b) => a - b),
  }
}
