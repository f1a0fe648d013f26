import type { CellFigures } from '../cells.js'
import type { Interval } from '../interval.js'
import type { Measurement } from '../measure.js'
import type { OpenLoopMeasurement } from '../open-loop.js'
import type { PayloadSize } from '../payloads.js'
import type { HttpSetup } from './setups.js'

/** One setup × scenario of the HTTP bench: every figure a median over windows, with its 95 % interval. */
export interface HttpCell extends CellFigures {
  readonly setup: string
  readonly kind: HttpSetup['kind']
  readonly scenario: string
  readonly windows: readonly Measurement[]
  /** Whether req/s (its own and, but for no-session, the share it keeps) reached the target. */
  readonly resolved: boolean
  readonly elapsedMs: number
  /** The setup's req/s ÷ no-session's, window pair by window pair: the share of a session-less server it keeps. */
  readonly kept?: Interval
}

/** One setup offered a scenario at a constant rate (open loop): latency from each request's due time. */
export interface HttpOpenLoopCell extends CellFigures {
  readonly setup: string
  readonly scenario: string
  /** Requests offered per second; `opsPerSec` is what was served. */
  readonly ratePerSec: number
  readonly windows: readonly OpenLoopMeasurement[]
  readonly resolved: boolean
  readonly elapsedMs: number
  /** A window fell so far behind that it stopped sending: past the knee. */
  readonly saturated: boolean
}

export interface HttpSetupInfo {
  readonly name: string
  readonly kind: HttpSetup['kind']
  /** Why it was not measured (its backend is unavailable). */
  readonly unavailable?: string
  /** cookie-session: the bytes of the cookies one signed-in session takes (browsers keep 4096 per cookie). */
  readonly cookieBytes?: number
}

/** A window that failed: the setup errored or answered other than 2xx under load. Its cell stopped there. */
export interface HttpFailure {
  readonly setup: string
  readonly scenario: string
  readonly window: number
  readonly error: string
}

export interface HttpSettings {
  readonly connections: number
  readonly windowMs: number
  readonly targetPct: number
  readonly cellCapMs: number
  readonly payload: PayloadSize
  readonly scenarios: readonly { readonly name: string; readonly describes: string }[]
  /** The scenarios' cells: each connection sends a request when its last one is answered. */
  readonly closedLoop: true
  /** The open loop, when rates were given. */
  readonly openLoop?: { readonly rates: readonly number[]; readonly scenario: string; readonly windowMs: number }
}

/** The HTTP bench: whole requests to a real Express app in its own process, per setup and scenario. */
export interface HttpReport {
  readonly settings: HttpSettings
  readonly environment: { readonly autocannon: string; readonly express: string; readonly cookieSession: string }
  readonly setups: readonly HttpSetupInfo[]
  readonly cells: readonly HttpCell[]
  readonly openLoop: readonly HttpOpenLoopCell[]
  readonly failures: readonly HttpFailure[]
}
