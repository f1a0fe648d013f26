import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectMissing, expectSession, fail } from '../core/expect.js'
import { expiredCookie, expiryWindow } from '../core/runner/timing.js'
import { storedExpiry } from '../core/sessions.js'
import type { CallOutcome, CheckContext, StoreTiming } from '../core/types.js'
import { getWhileAlive, goneBy, type ShortLived, seedShortLived, timedSet, touchWhileAlive } from './_seed.js'

const TEN_MINUTES_MS = 10 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000
/** How much later than its granularity a store may let a session go before we say it never does. */
const NEVER_AFTER_MS = 2000

const describeTiming = (timing: StoreTiming) =>
  `granularity ${timing.granularityMs} ms (${timing.granularitySource}), latency ${timing.latencyMs} ms`

/**
 * Lifetimes real stores got wrong: a "remember me" cookie past 30 days (memcached reads a TTL
 * over 30 days as a Unix time), past 2³¹ seconds (a 32-bit `| 0`), a century.
 */
const LONG_LIFETIMES: readonly { label: string; ms: number }[] = [
  { label: '30 days + 1 s', ms: 30 * DAY_MS + 1000 },
  // A store that rounds the remaining life down sends exactly 30 days for the one above.
  { label: '31 days', ms: 31 * DAY_MS },
  { label: '2³¹ s', ms: 2 ** 31 * 1000 },
  { label: '100 years', ms: 100 * 365 * DAY_MS },
]

/** How far the backend's own expiry may be from the cookie's: a granule, the call, clock steps. */
const BACKEND_EXPIRY_TOLERANCE_MS = 5000

/**
 * Waits until the seeded session must be gone, and fails if it is not. A session still there gets
 * a little longer, to tell a store that never expires by cookie.expires from one whose expiry is
 * coarser than it said.
 */
async function expectExpiredOnTime(ctx: CheckContext, { sid, expires, expiredBy, timing }: ShortLived): Promise<void> {
  await ctx.sleepUntil(expiredBy)
  if ((await ctx.store.get(sid)) == null) return
  const allowed = expiredBy - expires
  await ctx.sleepUntil(expiredBy + NEVER_AFTER_MS)
  const late = Date.now() - expires
  if ((await ctx.store.get(sid)) != null) {
    fail(`the session was still returned ${late} ms after cookie.expires: the store does not expire it on time`, {
      expected: `gone within ${allowed} ms of cookie.expires (${describeTiming(timing)})`,
      actual: `still there after ${late} ms`,
    })
  }
  fail(
    `the session outlived cookie.expires by more than ${allowed} ms but was gone ${late} ms after: its expiry ` +
      `is coarser than ${timing.granularityMs} ms; declare ttlGranularityMs`,
    { expected: describeTiming(timing), actual: `gone between ${allowed} and ${late} ms` },
  )
}

/**
 * Expiry is entirely the store's job: express-session never checks it on load. Waits are derived
 * from the store's measured granularity and latency, so second-resolution stores pass without
 * padding every wait, and all timed checks start together so their waits overlap. A presence
 * verdict read too late on a busy machine is inconclusive and measured again, never a pass.
 */
export const ttlChecks = defineGroup('ttl', [
  {
    id: 'ttl.past-expiry-not-returned',
    level: 'required',
    levelReason: 'an expired login keeps working: a session the user should have lost stays valid',
    title: 'a session whose cookie.expires has already passed is never returned',
    impact:
      'express-session does not check expiry on load: an expired login keeps working for as long as the store ' +
      'keeps the entry.',
    async run(ctx) {
      const timing = await ctx.timing()
      const sid = ctx.newSid()
      const cookie = expiredCookie(timing)
      await ctx.store.set(sid, ctx.session(sid, { user: 'ada' }, cookie))
      expectMissing(
        await ctx.store.get(sid),
        `get() returned a session whose cookie expired at ${cookie.expires?.toISOString()} (originalMaxAge 1 h)`,
      )
    },
  },
  {
    id: 'ttl.expires-on-time',
    level: 'required',
    levelReason: 'sessions that outlive their cookie keep logins alive; ones that die early log users out',
    title: "a live session is returned until cookie.expires and not after it (within the store's granularity)",
    impact:
      "Sessions outlive their cookie (a logged-out browser's cookie still works) or die early (users are logged out).",
    timed: true,
    async run(ctx) {
      const seeded = await seedShortLived(ctx)
      expectSession(
        await getWhileAlive(ctx, seeded.sid, seeded.aliveUntil),
        `a session with ${seeded.lifeMs} ms to live was gone right after set() (${describeTiming(seeded.timing)})`,
      )
      await expectExpiredOnTime(ctx, seeded)
    },
  },
  {
    id: 'ttl.sub-second-expires',
    level: 'required',
    levelReason: 'a session kept forever outlives its cookie: the login never ends',
    title: 'a session of 999 ms is stored without error and expires (not kept forever, not rejected)',
    impact:
      'A maxAge under a second becomes a TTL of 0 seconds: kept forever (memcached, a 0 = "no expiry") or ' +
      'rejected with an error (Redis "invalid expire time"), so the session is lost or never ends.',
    timed: true,
    async run(ctx) {
      const seeded = await seedShortLived(ctx, { user: 'ada' }, 999)
      // Only a millisecond store must hold it: one that rounds down by a second may drop it at once.
      if (seeded.timing.granularityMs === 0) {
        const found = await getWhileAlive(ctx, seeded.sid, seeded.expires)
        expectSession(found, 'a 999 ms session was gone right after set()')
      }
      await expectExpiredOnTime(ctx, seeded)
    },
  },
  {
    id: 'ttl.long-lifetimes',
    level: 'required',
    levelReason: 'a "remember me" session that vanishes at once logs the user out',
    title: 'sessions of 30 days + 1 s, 31 days, 2³¹ s and 100 years are there right after set(), expiry intact',
    impact:
      '"Remember me" logs users out at once or soon: a TTL over 30 days read by memcached as a Unix time, ' +
      'seconds overflowing a 32-bit integer, a date column that cannot hold the year.',
    async run(ctx) {
      const timing = await ctx.timing()
      await Promise.all(
        LONG_LIFETIMES.map(async ({ label, ms }) => {
          const sid = ctx.newSid()
          const session = ctx.session(sid, { user: 'ada' }, { maxAge: ms })
          const expires = (session.cookie.expires as Date).getTime()
          await ctx.store.set(sid, session)
          const stored = expectSession(await ctx.store.get(sid), `a session of ${label} was gone right after set()`)
          // Compared as a time: how the date is written is set.round-trip's business, not this check's.
          const written = storedExpiry(stored)
          const revived = typeof written === 'string' || typeof written === 'number' ? new Date(written) : written
          if (!(revived instanceof Date) || revived.getTime() !== expires) {
            fail(`a session of ${label} came back with another cookie.expires`, {
              expected: new Date(expires).toISOString(),
              actual: describeValue(written),
            })
          }
          const backend = await ctx.backendExpiry(sid)
          const tolerance = timing.granularityMs + BACKEND_EXPIRY_TOLERANCE_MS
          if (backend !== undefined && (backend === null || Math.abs(backend - expires) > tolerance)) {
            fail(`the backend will drop a session of ${label} at another time than its cookie expires`, {
              expected: `about ${new Date(expires).toISOString()}`,
              actual: backend === null ? 'never' : new Date(backend).toISOString(),
            })
          }
        }),
      )
    },
  },
  {
    id: 'ttl.browser-session-kept',
    level: 'required',
    levelReason: 'losing every browser-session cookie logs users out on their next request',
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
    levelReason: 'active users are logged out at the first expiry under resave: false',
    title: 'touch() with the extended expiry of an active session keeps it alive past its old expiry',
    impact:
      'Active users are logged out when the original expiry passes, however busy they are (expressjs/session#105).',
    requires: ['touch'],
    timed: true,
    async run(ctx) {
      const timing = await ctx.timing()
      const { lifeMs, goneAfterMs } = expiryWindow(timing, ctx.attempt)
      const sid = ctx.newSid()
      // Loaded mid-life: expires soon, but its maxAge is long, so touching extends it (as on each request).
      const session = ctx.session(
        sid,
        { user: 'ada' },
        { maxAge: 4 * goneAfterMs, expires: new Date(Date.now() + lifeMs) },
      )
      const oldExpiry = (session.cookie.expires as Date).getTime()
      const { tookMs } = await timedSet(ctx, sid, session)
      session.touch()
      await touchWhileAlive(ctx, sid, session, oldExpiry - timing.granularityMs)
      // Past the old expiry even for a backend that started the TTL when it ran a late write.
      await ctx.sleepUntil(goneBy(timing, oldExpiry, tookMs))
      expectSession(await ctx.store.get(sid), 'the session expired at its old expiry although touch() extended it')
    },
  },
  {
    id: 'ttl.touch-honours-new-max-age',
    level: 'required',
    levelReason: 'a raised maxAge ("remember me") is lost: the user is logged out at the old expiry',
    title: 'a cookie-only change (maxAge raised, "remember me") arrives through touch() and is honoured',
    impact:
      'express-session ignores the cookie when deciding whether to save, so "remember me" only reaches the store ' +
      'through touch(): the session dies at the old expiry (connect-redis#92).',
    requires: ['touch'],
    timed: true,
    async run(ctx) {
      const { timing, lifeMs, sid, session, aliveUntil, expiredBy } = await seedShortLived(ctx)
      session.cookie.maxAge = TEN_MINUTES_MS
      await touchWhileAlive(ctx, sid, session, aliveUntil)
      // Past what a touch that renewed the old maxAge (from whenever it ran) would have given.
      await ctx.sleepUntil(Math.max(expiredBy, Date.now() + lifeMs + timing.granularityMs + timing.slackMs))
      expectSession(
        await ctx.store.get(sid),
        'the session expired at its old expiry although touch() raised maxAge to 10 minutes',
      )
    },
  },
  {
    id: 'ttl.natural-expiry-safe',
    level: 'required',
    levelReason: 'an error thrown on an expired session crashes the app or fails the request',
    title: 'once a session expires by the clock, get, touch, destroy and set handle it: no throw, no escaped error',
    impact:
      'Stores that track expiry themselves (last access + maxAge) met a session that expired on its own only in ' +
      'production: an uncaught TypeError in touch() crashed the process, or get() failed the request.',
    timed: true,
    async run(ctx) {
      const { sid, session, expiredBy } = await seedShortLived(ctx)
      await ctx.sleepUntil(expiredBy)
      // What each call answers is other checks' business (a miss, an unknown id): here, that it answers.
      const found = await ctx.store.call('get', [sid]).then(notThrown('get'))
      await ctx.prerequisite('ttl.expires-on-time', 'letting a session expire by the clock', async () =>
        expectMissing(found.kind === 'callback' && found.error == null ? found.value : null, 'it was still there'),
      )
      if (ctx.capabilities.touch) await ctx.store.call('touch', [sid, session]).then(notThrown('touch'))
      await ctx.store.call('destroy', [sid]).then(notThrown('destroy'))
      const fresh = ctx.session(sid, { user: 'ada', again: true })
      await ctx.store.set(sid, fresh)
      expectSession(await ctx.store.get(sid), 'set() of an id whose session had expired did not store the new one')
    },
  },
])

/** A call's outcome must not be a synchronous throw; anything else is another check's business. */
function notThrown(method: string) {
  return (outcome: CallOutcome): CallOutcome => {
    if (outcome.kind === 'threw') {
      fail(`${method}() of a session that expired by the clock threw: ${describeValue(outcome.error)}`, {
        expected: 'a callback',
        actual: `threw ${describeValue(outcome.error)}`,
      })
    }
    return outcome
  }
}
