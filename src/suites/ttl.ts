import { defineGroup } from '../core/define-check.js'
import { expectMissing, expectSession } from '../core/expect.js'
import { expiryWindow, pastExpiry } from '../core/runner/timing.js'
import type { StoreTiming } from '../core/types.js'
import { seedShortLived } from './_seed.js'

const TEN_MINUTES_MS = 10 * 60 * 1000

const describeTiming = (timing: StoreTiming) =>
  `granularity ${timing.granularityMs} ms (${timing.granularitySource}), latency ${timing.latencyMs} ms`

/**
 * Expiry is entirely the store's job: express-session never checks it on load. Waits are derived
 * from the store's measured granularity and latency, so second-resolution stores pass without
 * padding every wait, and all timed checks start together so their waits overlap.
 */
export const ttlChecks = defineGroup('ttl', [
  {
    id: 'ttl.past-expiry-not-returned',
    level: 'required',
    title: 'a session whose cookie.expires has already passed is never returned',
    impact:
      'express-session does not check expiry on load: an expired login keeps working for as long as the store ' +
      'keeps the entry.',
    async run(ctx) {
      const timing = await ctx.timing()
      const sid = ctx.newSid()
      const expires = pastExpiry(timing)
      await ctx.store.set(sid, ctx.session(sid, { user: 'ada' }, { maxAge: 1000, expires }))
      expectMissing(
        await ctx.store.get(sid),
        `get() returned a session whose cookie expired at ${expires.toISOString()}`,
      )
    },
  },
  {
    id: 'ttl.expires-on-time',
    level: 'required',
    title: "a live session is returned until cookie.expires and not after it (within the store's granularity)",
    impact:
      "Sessions outlive their cookie (a logged-out browser's cookie still works) or die early (users are logged out).",
    timed: true,
    async run(ctx) {
      const { timing, lifeMs, sid, expiredBy } = await seedShortLived(ctx)
      expectSession(
        await ctx.store.get(sid),
        `a session with ${lifeMs} ms to live was gone right after set() (${describeTiming(timing)})`,
      )
      await ctx.sleepUntil(expiredBy)
      expectMissing(
        await ctx.store.get(sid),
        `the session was still returned ${timing.granularityMs + timing.slackMs} ms after cookie.expires ` +
          `(${describeTiming(timing)}); a store with coarser expiry should declare ttlGranularityMs`,
      )
    },
  },
  {
    id: 'ttl.browser-session-kept',
    level: 'required',
    title: 'a session with expires: null (a browser-session cookie) is kept',
    impact:
      'Apps that use browser-session cookies (no maxAge) lose every session at once: users are logged out on the ' +
      'next request.',
    timed: true,
    async run(ctx) {
      const timing = await ctx.timing()
      const { goneAfterMs } = expiryWindow(timing)
      const sid = ctx.newSid()
      const start = Date.now()
      await ctx.store.set(sid, ctx.session(sid, { user: 'ada' }, { maxAge: null }))
      expectSession(await ctx.store.get(sid), 'a session with expires: null was gone right after set()')
      await ctx.sleepUntil(start + goneAfterMs)
      expectSession(await ctx.store.get(sid), `a session with expires: null was gone after ${goneAfterMs} ms`)
    },
  },
  {
    id: 'ttl.touch-extends',
    level: 'required',
    title: 'touch() with the extended expiry of an active session keeps it alive past its old expiry',
    impact:
      'Active users are logged out when the original expiry passes, however busy they are (expressjs/session#105).',
    requires: ['touch'],
    timed: true,
    async run(ctx) {
      const timing = await ctx.timing()
      const { lifeMs, goneAfterMs } = expiryWindow(timing)
      const sid = ctx.newSid()
      // Loaded mid-life: expires soon, but its maxAge is long, so touching extends it (as on each request).
      const session = ctx.session(
        sid,
        { user: 'ada' },
        { maxAge: 4 * goneAfterMs, expires: new Date(Date.now() + lifeMs) },
      )
      const oldExpiry = (session.cookie.expires as Date).getTime()
      await ctx.store.set(sid, session)
      session.touch()
      await ctx.store.touch(sid, session)
      await ctx.sleepUntil(oldExpiry + timing.granularityMs + timing.slackMs)
      expectSession(await ctx.store.get(sid), 'the session expired at its old expiry although touch() extended it')
    },
  },
  {
    id: 'ttl.touch-honours-new-max-age',
    level: 'required',
    title: 'a cookie-only change (maxAge raised, "remember me") arrives through touch() and is honoured',
    impact:
      'express-session ignores the cookie when deciding whether to save, so "remember me" only reaches the store ' +
      'through touch(): the session dies at the old expiry (connect-redis#92).',
    requires: ['touch'],
    timed: true,
    async run(ctx) {
      const { sid, session, expiredBy } = await seedShortLived(ctx)
      session.cookie.maxAge = TEN_MINUTES_MS
      await ctx.store.touch(sid, session)
      await ctx.sleepUntil(expiredBy)
      expectSession(
        await ctx.store.get(sid),
        'the session expired at its old expiry although touch() raised maxAge to 10 minutes',
      )
    },
  },
])
