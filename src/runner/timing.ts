import { performance } from 'node:perf_hooks'
import type { CookieSpec, SessionInput, StoreDriver, StoreTiming } from '../types.js'

/** Resolves at `epochMs` (a little after, never before). */
export function sleepUntil(epochMs: number): Promise<void> {
  const wait = Math.max(0, Math.ceil(epochMs - Date.now()) + 1)
  return new Promise((resolve) => setTimeout(resolve, wait))
}

/** Granularity assumed for stores that keep expiry in whole seconds. */
export const SECOND_GRANULARITY_MS = 1000

interface ProbeTools {
  readonly driver: StoreDriver
  newSid(): string
  session(sid: string, data?: Record<string, unknown>, cookie?: CookieSpec): SessionInput
}

/**
 * Measures what the TTL checks need to know: call latency (warming the connection first, so a
 * cold connect is not charged to a deadline) and, unless declared, how coarse the store's expiry
 * clock is. The probe sets a session that should live a few hundred ms and looks again just after
 * its expiry: gone means the store honours milliseconds, still there means whole seconds.
 */
export async function measureTiming(tools: ProbeTools, declaredGranularityMs: number | undefined): Promise<StoreTiming> {
  const { driver } = tools
  const warm = tools.newSid()
  const latencies: number[] = []
  const timed = async (op: () => Promise<unknown>) => {
    const started = performance.now()
    const value = await op()
    latencies.push(performance.now() - started)
    return value
  }
  await timed(() => driver.set(warm, tools.session(warm, { probe: 'warm-up' })))
  await timed(() => driver.get(warm))
  await timed(() => driver.destroy(warm))
  const latencyMs = Math.ceil(Math.max(...latencies))
  const slackMs = Math.max(50, 2 * latencyMs + 20)

  if (declaredGranularityMs !== undefined) {
    return { granularityMs: declaredGranularityMs, granularitySource: 'declared', latencyMs, slackMs }
  }

  const lifeMs = Math.max(200, 3 * latencyMs + 100)
  const probe = tools.newSid()
  const session = tools.session(probe, { probe: 'granularity' }, { maxAge: lifeMs })
  const expires = (session.cookie.expires as Date).getTime()
  await driver.set(probe, session)
  if ((await driver.get(probe)) == null) {
    // The store dropped a live session at once; the TTL checks will say why. Assume the safe value.
    return { granularityMs: SECOND_GRANULARITY_MS, granularitySource: 'assumed', latencyMs, slackMs }
  }
  await sleepUntil(expires + slackMs)
  const stillThere = (await driver.get(probe)) != null
  await driver.destroy(probe)
  return { granularityMs: stillThere ? SECOND_GRANULARITY_MS : 0, granularitySource: 'detected', latencyMs, slackMs }
}

/**
 * The life of a short-lived test session, and when it must be gone. The session must still be
 * there right after set() returns even if the store rounds down by one granule, and gone once the
 * store has had a full granule (rounding up) plus slack past the cookie's expiry.
 */
export function expiryWindow(timing: StoreTiming): { lifeMs: number; goneAfterMs: number } {
  const lifeMs = Math.max(300, timing.granularityMs + 2 * timing.latencyMs + timing.slackMs + 150)
  return { lifeMs, goneAfterMs: lifeMs + timing.granularityMs + timing.slackMs }
}
