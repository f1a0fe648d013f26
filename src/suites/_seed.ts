import { expiryWindow, pastExpiry } from '../core/runner/timing.js'
import type { CheckContext, SessionInput, StoreTiming } from '../core/types.js'

/**
 * Sessions for the whole-store checks: some live, one expired. Each carries a marker, so they can
 * be recognised in all() output whichever shape it has (map, array with ids, array without).
 */
export async function seedSessions(
  ctx: CheckContext,
  live: number,
): Promise<{ marker: string; liveSids: string[]; expiredSid: string }> {
  const timing = await ctx.timing()
  const marker = ctx.newSid()
  const liveSids = Array.from({ length: live }, () => ctx.newSid())
  for (const [index, sid] of liveSids.entries()) await ctx.store.set(sid, ctx.session(sid, { marker, index }))
  const expiredSid = ctx.newSid()
  await ctx.store.set(
    expiredSid,
    ctx.session(expiredSid, { marker, index: -1 }, { maxAge: 1000, expires: pastExpiry(timing) }),
  )
  return { marker, liveSids, expiredSid }
}

/**
 * A stored session that lives only `expiryWindow(timing).lifeMs`: where the expiry checks start.
 * `expiredBy` is when even a store that rounds up by a granule must have let it go.
 */
export async function seedShortLived(ctx: CheckContext): Promise<{
  timing: StoreTiming
  lifeMs: number
  sid: string
  session: SessionInput
  expiredBy: number
}> {
  const timing = await ctx.timing()
  const { lifeMs } = expiryWindow(timing)
  const sid = ctx.newSid()
  const session = ctx.session(sid, { user: 'ada' }, { maxAge: lifeMs })
  const expires = (session.cookie.expires as Date).getTime()
  await ctx.store.set(sid, session)
  return { timing, lifeMs, sid, session, expiredBy: expires + timing.granularityMs + timing.slackMs }
}
