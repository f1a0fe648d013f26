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
/** Above this slack the probes cannot tell a rounding store from a slow one: assume seconds. */
const MAX_DETECTABLE_SLACK_MS = 200

/**
 * Measures what the TTL checks need to know: call latency (warming the connection first, so a
 * cold connect is not charged to a deadline) and, unless declared, how coarse the store's expiry
 * clock is. Four sessions with expiries a quarter-second apart are each looked at just before and
 * just after their expiry: a millisecond store has every one present before and gone after; a
 * store that keeps whole seconds (rounding up, down or to nearest, relative to now or to the
 * wall clock) gets at least one wrong by a quarter second or more.
 */
export async function measureTiming(
  tools: ProbeTools,
  declaredGranularityMs: number | undefined,
  signal?: AbortSignal,
): Promise<StoreTiming> {
  const { driver } = tools
  const latencies: number[] = []
  // One round warms the connection (uncounted), then LATENCY_ROUNDS are timed.
  for (let round = 0; round <= LATENCY_ROUNDS; round++) {
    const sid = tools.newSid()
    const timed = async (op: () => Promise<unknown>) => {
      const started = performance.now()
      await op()
      if (round > 0) latencies.push(performance.now() - started)
    }
    await timed(() => driver.set(sid, tools.session(sid, { probe: 'latency' })))
    await timed(() => driver.get(sid))
    await timed(() => driver.destroy(sid))
  }
  // The median: one slow call (a GC pause, a busy machine, a blocking store) is not the store's latency.
  const latencyMs = Math.ceil(median(latencies))
  const slackMs = Math.max(50, 2 * latencyMs + 20)

  if (declaredGranularityMs !== undefined) {
    return { granularityMs: declaredGranularityMs, granularitySource: 'declared', latencyMs, slackMs }
  }
  const assumed = { granularityMs: SECOND_GRANULARITY_MS, granularitySource: 'assumed', latencyMs, slackMs } as const
  if (slackMs > MAX_DETECTABLE_SLACK_MS) return assumed

  const firstExpiry = Date.now() + Math.max(250, 3 * latencyMs + slackMs + 100)
  const probes = PROBE_OFFSETS_MS.map((offset) => {
    const sid = tools.newSid()
    const expires = firstExpiry + offset
    return {
      sid,
      expires,
      session: tools.session(
        sid,
        { probe: 'granularity' },
        { maxAge: expires - Date.now(), expires: new Date(expires) },
      ),
    }
  })
  await Promise.all(probes.map((probe) => driver.set(probe.sid, probe.session)))
  const verdicts = await Promise.all(
    probes.map(async ({ sid, expires }) => {
      await sleepUntil(expires - slackMs, signal)
      const before = (await driver.get(sid)) != null
      await sleepUntil(expires + slackMs, signal)
      const after = (await driver.get(sid)) != null
      return before && !after
    }),
  )
  await Promise.all(probes.map((probe) => driver.destroy(probe.sid)))
  return verdicts.every(Boolean)
    ? { granularityMs: 0, granularitySource: 'detected', latencyMs, slackMs }
    : { granularityMs: SECOND_GRANULARITY_MS, granularitySource: 'detected', latencyMs, slackMs }
}

/**
 * The life of a short-lived test session, and when it must be gone. The session must still be
 * there right after set() returns even if the store rounds down by one granule, and gone once the
 * store has had a full granule (rounding up) plus slack past the cookie's expiry.
 */
export function expiryWindow(timing: StoreTiming): { lifeMs: number; goneAfterMs: number } {
  // The floor absorbs an event-loop stall on a busy machine between set() and the next call.
  const lifeMs = Math.max(MIN_LIFE_MS, timing.granularityMs + 2 * timing.latencyMs + timing.slackMs + 150)
  return { lifeMs, goneAfterMs: lifeMs + timing.granularityMs + timing.slackMs }
}

/** An expiry already in the past even for a store that rounds up by a whole granule. */
export function pastExpiry(timing: StoreTiming): Date {
  return new Date(Date.now() - timing.granularityMs - 1000)
}
