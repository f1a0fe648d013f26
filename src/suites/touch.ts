import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectData, expectMissing, expectSession, fail, reviveCookie } from '../core/expect.js'
import { COOKIE_KEYS, storedExpiry } from '../core/sessions.js'
import type { CheckContext } from '../core/types.js'
import { EXPIRED_SET_OWNER, getWhileAlive, seedShortLived, setExpired } from './_seed.js'
import {
  comesTo,
  eventually,
  expectVisibleOnCallback,
  independentReader,
  LATE_EFFECT_MS,
  peek,
  readOnCallback,
} from './_visibility.js'

const HOUR_MS = 60 * 60 * 1000

/**
 * What is wrong with a stored cookie that is no longer a cookie: fields express-session never
 * writes there, or no expiry at all. How the date is written is set.round-trip's business.
 */
function cookieCorruption(stored: Record<string, unknown>): { message: string; actual: string } | undefined {
  const cookie = stored.cookie
  const actual = describeValue(cookie, 200)
  if (cookie === null || typeof cookie !== 'object') return { message: 'the stored session has no cookie', actual }
  const foreign = Object.keys(cookie).filter((key) => !COOKIE_KEYS.has(key))
  if (foreign.length > 0)
    return { message: `the stored cookie holds fields no cookie has: ${foreign.join(', ')}`, actual }
  const expires = storedExpiry(stored)
  if (expires === null || expires === undefined) return { message: 'the stored cookie has no expiry', actual }
  return undefined
}

/** Stores an hour-long session, touches it with a longer maxAge ("remember me") and reads it back. */
async function touchWithLongerMaxAge(ctx: CheckContext, maxAge: number) {
  const sid = ctx.newSid()
  const session = ctx.session(sid, { user: 'ada' }, { maxAge: HOUR_MS })
  await ctx.store.set(sid, session)
  session.cookie.maxAge = maxAge
  await ctx.store.touch(sid, session)
  return { sid, session, stored: expectSession(await ctx.store.get(sid), 'get() returned nothing after touch()') }
}

/** touch(): called by express-session on every request that loaded a session and did not save it. */
export const touchChecks = defineGroup('touch', [
  {
    id: 'touch.keeps-data',
    level: 'required',
    levelReason: "a touch that writes data back loses another request's changes: user data is lost",
    title: "touch() never changes the stored data, only the session's life",
    impact:
      "A touch racing a save writes stale data back: the other request's changes are lost (session-file-store#55).",
    requires: ['touch'],
    async run(ctx) {
      const sid = ctx.newSid()
      await ctx.store.set(sid, ctx.session(sid, { cart: ['book'] }))
      await ctx.store.touch(sid, ctx.session(sid, { cart: [] }))
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after touch()')
      expectData(stored, { cart: ['book'] }, 'touch() overwrote the stored data')
    },
  },
  {
    id: 'touch.cookie-intact',
    level: 'required',
    levelReason: 'a corrupted stored cookie breaks every later request of the session',
    title: 'after touch() the stored cookie is still a cookie express-session can revive (not the whole session)',
    impact:
      'The next request revives a cookie with no expiry and foreign fields: the session never expires, or every ' +
      'later request fails to load it.',
    requires: ['touch'],
    async run(ctx) {
      const { stored } = await touchWithLongerMaxAge(ctx, 2 * HOUR_MS)
      const corrupted = cookieCorruption(stored)
      if (corrupted) {
        fail(`after touch(), ${corrupted.message}`, {
          expected: 'a cookie with its expiry and cookie fields only (expires, originalMaxAge, path, …)',
          actual: corrupted.actual,
        })
      }
    },
  },
  {
    id: 'touch.missing-not-created',
    level: 'recommended',
    levelReason: 'resurrects a session with a cookie and no data: nothing is lost, nobody is logged in',
    title: 'touch() of an id that does not exist does not create a session',
    impact:
      'A touch that loses a race with destroy or expiry resurrects a session, with only a cookie and none of its data.',
    requires: ['touch'],
    async run(ctx) {
      const sid = ctx.newSid()
      await ctx.store.call('touch', [sid, ctx.session(sid, { user: 'ghost' })])
      expectMissing(await ctx.store.get(sid), 'touch() of an unknown id created a session')
    },
  },
  {
    id: 'touch.missing-no-error',
    level: 'recommended',
    levelReason: 'the error arrives after the response was sent: logged, no user sees it',
    title: 'touch() of an id that does not exist calls back without an error',
    impact:
      'A session destroyed or expired between get and touch makes express-session call next(err) after the ' +
      'response: "Cannot set headers after they are sent" (connect-mongo#390, #459).',
    requires: ['touch'],
    async run(ctx) {
      const sid = ctx.newSid()
      await ctx.store.touch(sid, ctx.session(sid, { user: 'ghost' }))
    },
  },
  {
    id: 'touch.updates-stored-cookie',
    level: 'recommended',
    levelReason: 'only "remember me" suffers, and only after the next request; no data is lost',
    title: 'touch() stores the cookie it is given, so a raised maxAge survives the next request',
    impact:
      'The next request loads the old cookie, resets expiry from the old maxAge and touches with it: "remember ' +
      'me" lasts one request.',
    requires: ['touch'],
    async run(ctx) {
      const { sid, session, stored } = await touchWithLongerMaxAge(ctx, 24 * HOUR_MS)
      // A cookie that is no longer a cookie is touch.cookie-intact's finding, not a stale maxAge.
      await ctx.prerequisite('touch.cookie-intact', 'reading the touched cookie', async () => {
        const corrupted = cookieCorruption(stored)
        if (corrupted) fail(corrupted.message, { actual: corrupted.actual })
      })
      const cookie = reviveCookie(ctx, sid, stored)
      if (cookie.originalMaxAge !== session.cookie.originalMaxAge) {
        fail('the stored cookie still has the old maxAge after touch()', {
          expected: `originalMaxAge ${session.cookie.originalMaxAge}`,
          actual: `originalMaxAge ${describeValue(cookie.originalMaxAge)}`,
        })
      }
    },
  },
  {
    id: 'touch.does-not-revive-expired',
    level: 'recommended',
    levelReason: 'brings back a session its user was logged out of; no data is lost',
    title: 'touch() of a session that has already expired does not bring it back',
    impact: 'A touch that races expiry resurrects a session its user was already logged out of.',
    requires: ['touch'],
    async run(ctx) {
      const sid = ctx.newSid()
      await setExpired(ctx, sid, { user: 'ada' })
      await ctx.prerequisite(EXPIRED_SET_OWNER, 'storing an expired session', async () =>
        expectMissing(await ctx.store.get(sid), 'the expired session was returned before touch()'),
      )
      await ctx.store.call('touch', [sid, ctx.session(sid, { user: 'ada' }, { maxAge: HOUR_MS })])
      const stored = await ctx.store.get(sid)
      if (stored != null)
        fail('touch() brought an expired session back', { expected: 'no session', actual: describeValue(stored) })
    },
  },
  {
    id: 'touch.does-not-revive-naturally-expired',
    level: 'recommended',
    levelReason: 'brings back a session its user was logged out of; no data is lost',
    title: 'touch() of a session that expired by the clock (not by a past cookie.expires) does not bring it back',
    impact:
      'A store that tracks expiry itself renews an entry it should have dropped: a session its user was logged ' +
      'out of comes back.',
    requires: ['touch'],
    timed: true,
    async run(ctx) {
      const { sid, expiredBy } = await seedShortLived(ctx)
      await ctx.sleepUntil(expiredBy)
      const found = await ctx.store.get(sid)
      await ctx.prerequisite('ttl.expires-on-time', 'letting a session expire by the clock', async () =>
        expectMissing(found, 'the session was still there after its expiry'),
      )
      await ctx.store.call('touch', [sid, ctx.session(sid, { user: 'ada' }, { maxAge: HOUR_MS })])
      const stored = await ctx.store.get(sid)
      if (stored != null)
        fail('touch() brought back a session that had expired', {
          expected: 'no session',
          actual: describeValue(stored),
        })
    },
  },
  {
    id: 'touch.present-when-expiring',
    level: 'recommended',
    levelReason: 'logs active users out only with rolling cookies or idle-timeout designs, not by default',
    title: 'a store that expires sessions by itself implements touch(), so activity keeps a session alive',
    impact:
      'Under resave: false (the recommended setting) express-session saves only modified sessions and otherwise ' +
      'calls touch(): without it, an active user who only reads is logged out at the first expiry.',
    timed: true,
    async run(ctx) {
      // Whatever is declared: express-session calls touch() whenever the store has one.
      if (typeof ctx.raw.touch === 'function') return
      const { sid, lifeMs, aliveUntil, expiredBy } = await seedShortLived(ctx)
      await getWhileAlive(ctx, sid, aliveUntil)
      await ctx.sleepUntil(expiredBy)
      if ((await ctx.store.get(sid)) != null) {
        ctx.note('the store has no touch() but does not expire sessions by cookie.expires either')
        return
      }
      fail(`the store expires sessions (a ${lifeMs} ms one was gone on time) but has no touch()`, {
        expected: 'touch(sid, session, callback), extending the expiry',
        actual: 'no touch()',
      })
    },
  },
  {
    id: 'touch.visible-on-callback',
    level: 'recommended',
    levelReason: 'a late touch only delays an expiry extension; the data is intact',
    title: 'once touch() calls back, its new expiry is what any reader sees (it does not call back early)',
    impact:
      'A touch that calls back before its write lands (and again later) races the next request: the old expiry ' +
      'or cookie is read back and the extension can be lost.',
    requires: ['touch'],
    async run(ctx) {
      const reader = await independentReader(ctx)
      await expectVisibleOnCallback('touch()', async () => {
        const sid = ctx.newSid()
        const session = ctx.session(sid, { user: 'ada' }, { maxAge: HOUR_MS })
        await ctx.store.set(sid, session)
        // The session first, everywhere: a late set() is set.visible-on-callback's finding.
        await comesTo(reader, sid, true)
        session.cookie.maxAge = 3 * HOUR_MS
        const extendedTo = (session.cookie.expires as Date).getTime()
        // As set, not 3 h: express-session's maxAge setter reads the clock twice and may store a millisecond less.
        const extendedMaxAge = session.cookie.originalMaxAge
        // The effect: the stored cookie's maxAge, or the backend's own expiry, where either shows it.
        const touched = async () => {
          const stored = (await peek(reader, sid)) as { cookie?: { originalMaxAge?: unknown } } | undefined
          const backend = await ctx.backendExpiry(sid)
          return (
            stored?.cookie?.originalMaxAge === extendedMaxAge ||
            (typeof backend === 'number' && backend > extendedTo - HOUR_MS)
          )
        }
        const visibleNow = await readOnCallback(ctx, 'touch', [sid, session], touched)
        const visibleLater = () => eventually(touched, Boolean, LATE_EFFECT_MS)
        return { visibleNow, visibleLater, seen: 'the expiry from before touch()' }
      })
    },
  },
])
