import { performance } from 'node:perf_hooks'
import { median } from 'simple-statistics'
import { clearTimeout, setTimeout } from '../timers.js'
import type { CookieSpec, SessionInput, StoreDriver, StoreTiming } from '../types.js'

/** Resolves at `epochMs` (a little after, never before); rejects at once if `signal` aborts. */
export function sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void> {
  const wait = Math.max(0, Math.ceil(epochMs - Date.now()) + 1)
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, wait)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** The shortest life a test session gets: long enough that a busy machine cannot expire it early. */
const MIN_LIFE_MS = 600

/** Granularity assumed for stores that keep expiry in whole seconds. */
export const SECOND_GRANULARITY_MS = 1000

interface ProbeTools {
  readonly driver: StoreDriver
  newSid(): string
  session(sid: string, data?: Record<string, unknown>, cookie?: CookieSpec): SessionInput
}

/** Timed set/get/destroy rounds after the warm-up: nine calls for the median. */
const LATENCY_ROUNDS = 3

/** Probes spread across one second, so rounding to whole seconds shows whatever the phase. */
const PROBE_OFFSETS_MS = [0, 250, 500, 750]
/** Above this slack the probes cannot tell a rounding store from a slow one. */
const MAX_DETECTABLE_SLACK_MS = 200
/**
 * A read after expiry must be answered within this of the expiry to count: a store rounding to the
 * nearest second still holds one of the four probes for 250 ms past its expiry.
 */
const MAX_AFTER_READ_MS = 240
/** Latency samples and granularity probes are taken again this often when the machine was too busy. */
const MEASURE_ATTEMPTS = 4

/**
 * Measures what the TTL checks need to know: call latency (warming the connection first, so a
 * cold connect is not charged to a deadline) and, unless declared, how coarse the store's expiry
 * clock is. Load only ever makes calls slower, so the fastest of several latency medians is the
 * store's; a probe round whose reads did not land where the verdict needs them is inconclusive
 * and taken again, and only when every round is, the granularity is assumed (whole seconds).
 */
export async function measureTiming(
  tools: ProbeTools,
  declaredGranularityMs: number | undefined,
  signal?: AbortSignal,
): Promise<StoreTiming> {
  let latencyMs = Number.POSITIVE_INFINITY
  for (let attempt = 0; attempt < MEASURE_ATTEMPTS; attempt++) {
    latencyMs = Math.min(latencyMs, await medianLatency(tools, attempt === 0))
    if (slackFor(latencyMs) <= MAX_DETECTABLE_SLACK_MS) break
  }
  const slackMs = slackFor(latencyMs)
  if (declaredGranularityMs !== undefined) {
    return { granularityMs: declaredGranularityMs, granularitySource: 'declared', latencyMs, slackMs }
  }
  const assumed = { granularityMs: SECOND_GRANULARITY_MS, granularitySource: 'assumed', latencyMs, slackMs } as const
  if (slackMs > MAX_DETECTABLE_SLACK_MS) return assumed
  for (let attempt = 0; attempt < MEASURE_ATTEMPTS; attempt++) {
    const verdict = await probeGranularity(tools, latencyMs, slackMs, signal)
    if (verdict !== 'inconclusive') return { granularityMs: verdict, granularitySource: 'detected', latencyMs, slackMs }
  }
  return assumed
}

const slackFor = (latencyMs: number) => Math.max(50, 2 * latencyMs + 20)

/** The median of nine timed calls, after one uncounted round that warms the connection. */
async function medianLatency(tools: ProbeTools, warmUp: boolean): Promise<number> {
  const latencies: number[] = []
  for (let round = warmUp ? 0 : 1; round <= LATENCY_ROUNDS; round++) {
    const sid = tools.newSid()
    const timed = async (op: () => Promise<unknown>) => {
      const started = performance.now()
      await op()
      if (round > 0) latencies.push(performance.now() - started)
    }
    await timed(() => tools.driver.set(sid, tools.session(sid, { probe: 'latency' })))
    await timed(() => tools.driver.get(sid))
    await timed(() => tools.driver.destroy(sid))
  }
  // The median: one slow call (a GC pause, a blocking store) is not the store's latency.
  return Math.ceil(median(latencies))
}

/**
 * Four sessions with expiries a quarter-second apart, each read just before and just after its
 * expiry: a millisecond store has every one present before and gone after; a store that keeps
 * whole seconds (rounding up, down or to nearest, relative to now or to the wall clock) gets at
 * least one wrong. A read that was answered on the wrong side of the moment it had to beat says
 * nothing either way: then the round is inconclusive.
 */
async function probeGranularity(
  tools: ProbeTools,
  latencyMs: number,
  slackMs: number,
  signal?: AbortSignal,
): Promise<number | 'inconclusive'> {
  const { driver } = tools
  const firstExpiry = Date.now() + Math.max(250, 3 * latencyMs + slackMs + 100)
  const probes = PROBE_OFFSETS_MS.map((offset) => {
    const sid = tools.newSid()
    const expires = firstExpiry + offset
    const cookie = { maxAge: expires - Date.now(), expires: new Date(expires) }
    return { sid, expires, session: tools.session(sid, { probe: 'granularity' }, cookie) }
  })
  await Promise.all(probes.map((probe) => driver.set(probe.sid, probe.session)))
  const readings = await Promise.all(
    probes.map(async ({ sid, expires }) => {
      await sleepUntil(expires - slackMs, signal)
      const before = (await driver.get(sid)) != null
      const beforeAnsweredAt = Date.now()
      await sleepUntil(expires + Math.min(slackMs, 50), signal)
      const after = (await driver.get(sid)) != null
      const afterAnsweredAt = Date.now()
      const valid = beforeAnsweredAt < expires && afterAnsweredAt <= expires + MAX_AFTER_READ_MS
      return { valid, exact: before && !after }
    }),
  )
  await Promise.all(probes.map((probe) => driver.destroy(probe.sid)))
  // One wrong answer read in time proves coarse expiry; a millisecond verdict needs all four in time.
  if (readings.some((reading) => reading.valid && !reading.exact)) return SECOND_GRANULARITY_MS
  return readings.every((reading) => reading.valid) ? 0 : 'inconclusive'
}

/**
 * The life of a short-lived test session, and when it must be gone. The session must still be
 * there right after set() returns even if the store rounds down by one granule, and gone once the
 * store has had a full granule (rounding up) plus slack past the cookie's expiry. A later attempt
 * (the last was inconclusive: the machine was too busy) gets a proportionally longer life.
 */
export function expiryWindow(timing: StoreTiming, attempt = 1): { lifeMs: number; goneAfterMs: number } {
  // The floor absorbs an event-loop stall on a busy machine between set() and the next call.
  // 400 ms beyond a granule and two calls: the first reads and touches of a check that must beat
  // the expiry land in a concurrent phase of a dozen checks, on a machine that may be busy.
  const base = Math.max(MIN_LIFE_MS, timing.granularityMs + 2 * timing.latencyMs + timing.slackMs + 400)
  const lifeMs = base * attempt
  return { lifeMs, goneAfterMs: lifeMs + timing.granularityMs + timing.slackMs }
}

/** An expiry already in the past even for a store that rounds up by a whole granule. */
export function pastExpiry(timing: StoreTiming): Date {
  return new Date(Date.now() - timing.granularityMs - 1000)
}

/**
 * The cookie of a session that has already expired: expires in the past, an hour's originalMaxAge.
 * express-session writes one when the app calls req.session.save() itself (save() does not reset
 * the expiry, the automatic save at the end of a request does) after the cookie ran out, as a
 * long-lived request does; or when it loads a session a store should no longer have returned. A
 * store that computes expiry from its own clock (last write + originalMaxAge) keeps it for the
 * hour, whatever the machine's speed, so the verdict on it does not depend on how long set() took.
 */
export function expiredCookie(timing: StoreTiming): CookieSpec {
  return { maxAge: 60 * 60 * 1000, expires: pastExpiry(timing) }
}
