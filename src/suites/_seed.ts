import { pastExpiry } from '../core/runner/timing.js'
import type { CheckContext } from '../core/types.js'

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
