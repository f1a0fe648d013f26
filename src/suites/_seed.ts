import { outcomeValue } from '../core/runner/store-driver.js'
import { expiredCookie, expiryWindow } from '../core/runner/timing.js'
import type { CheckContext, SessionInput, StoreTiming } from '../core/types.js'

/** The check that owns "set() of an already-expired session": helpers that need one defer to it. */
export const EXPIRED_SET_OWNER = 'ttl.past-expiry-not-returned'

/** Stores a session whose cookie has already expired; a failure is reported once, by EXPIRED_SET_OWNER. */
export async function setExpired(ctx: CheckContext, sid: string, data: Record<string, unknown>): Promise<void> {
  const timing = await ctx.timing()
  await ctx.prerequisite(EXPIRED_SET_OWNER, 'set() of an already-expired session', () =>
    ctx.store.set(sid, ctx.session(sid, data, expiredCookie(timing))),
  )
}

/**
 * Sessions for the whole-store checks: some live, one expired. Each carries a marker, so they can
 * be recognised in all() output whichever shape it has (map, array with ids, array without).
 */
export async function seedSessions(
  ctx: CheckContext,
  live: number,
): Promise<{ marker: string; liveSids: string[]; expiredSid: string }> {
  const marker = ctx.newSid()
  const liveSids = Array.from({ length: live }, () => ctx.newSid())
  for (const [index, sid] of liveSids.entries()) await ctx.store.set(sid, ctx.session(sid, { marker, index }))
  const expiredSid = ctx.newSid()
  await setExpired(ctx, expiredSid, { marker, index: -1 })
  return { marker, liveSids, expiredSid }
}

/** A stored short-lived session: where the expiry checks start. */
export interface ShortLived {
  readonly timing: StoreTiming
  readonly lifeMs: number
  readonly sid: string
  readonly session: SessionInput
  /** The cookie's expiry (epoch ms). */
  readonly expires: number
  /** Until when even a store that rounds down by a granule must still hold it. */
  readonly aliveUntil: number
  /** When even a store that rounds up by a granule must have let it go. */
  readonly expiredBy: number
}

/**
 * A stored session that lives `lifeMs`: by default `expiryWindow(timing, attempt).lifeMs`, so
 * later attempts (the last was inconclusive) live longer.
 */
export async function seedShortLived(
  ctx: CheckContext,
  data: Record<string, unknown> = { user: 'ada' },
  life?: number,
) {
  const timing = await ctx.timing()
  const lifeMs = life ?? expiryWindow(timing, ctx.attempt).lifeMs
  const sid = ctx.newSid()
  const session = ctx.session(sid, data, { maxAge: lifeMs })
  const expires = (session.cookie.expires as Date).getTime()
  const { tookMs } = await timedSet(ctx, sid, session)
  const seeded: ShortLived = {
    timing,
    lifeMs,
    sid,
    session,
    expires,
    aliveUntil: expires - timing.granularityMs,
    expiredBy: goneBy(timing, expires, tookMs),
  }
  return seeded
}

/** set(), and how long it took to answer: a backend that ran it late started its TTL late. */
export async function timedSet(ctx: CheckContext, sid: string, session: SessionInput): Promise<{ tookMs: number }> {
  const sentAt = Date.now()
  await ctx.store.set(sid, session)
  return { tookMs: Date.now() - sentAt }
}

/**
 * When a session whose cookie expires at `expires` must be gone: a granule (rounding up), the
 * slack, and however long its set() took, since a store that turns the cookie into a relative TTL
 * (Redis EX, memcached) counts from when the backend ran the write, which a busy machine delays.
 */
export function goneBy(timing: StoreTiming, expires: number, setTookMs: number): number {
  return expires + timing.granularityMs + timing.slackMs + setTookMs
}

/**
 * get() of a session that must still be there until `aliveUntil`. A miss answered after that
 * moment proves nothing (the machine was too slow to ask in time): the attempt is inconclusive.
 */
export async function getWhileAlive(ctx: CheckContext, sid: string, aliveUntil: number): Promise<unknown> {
  const value = await ctx.store.get(sid)
  const late = Date.now() - aliveUntil
  if (value == null && late >= 0) {
    ctx.inconclusive(`the read that had to find the session was answered ${late} ms after it could have expired`)
  }
  return value
}

/** Fails as inconclusive when a step that had to finish before `deadline` did not. */
export function inTime(ctx: CheckContext, deadline: number, step: string): void {
  const late = Date.now() - deadline
  if (late >= 0) ctx.inconclusive(`${step} finished ${late} ms after the session could have expired`)
}

/**
 * touch() of a session that must still be alive until `aliveUntil`. If it was answered after
 * that, whatever it said (an error for a session that had just expired, too) proves nothing.
 */
export async function touchWhileAlive(ctx: CheckContext, sid: string, session: SessionInput, aliveUntil: number) {
  const outcome = await ctx.store.call('touch', [sid, session])
  inTime(ctx, aliveUntil, 'touch()')
  outcomeValue('touch', [sid, session], outcome, ctx.callTimeoutMs)
}
