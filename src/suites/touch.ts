import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectData, expectMissing, expectSession, expiresTime, fail, reviveCookie } from '../core/expect.js'
import { pastExpiry } from '../core/runner/timing.js'

const HOUR_MS = 60 * 60 * 1000

/** touch(): called by express-session on every request that loaded a session and did not save it. */
export const touchChecks = defineGroup('touch', [
  {
    id: 'touch.keeps-data',
    level: 'recommended',
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
    id: 'touch.missing-not-created',
    level: 'recommended',
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
    title: 'touch() stores the cookie it is given, so a raised maxAge survives the next request',
    impact:
      'The next request loads the old cookie, resets expiry from the old maxAge and touches with it: "remember ' +
      'me" lasts one request.',
    requires: ['touch'],
    async run(ctx) {
      const sid = ctx.newSid()
      const session = ctx.session(sid, { user: 'ada' }, { maxAge: HOUR_MS })
      await ctx.store.set(sid, session)
      session.cookie.maxAge = 24 * HOUR_MS
      await ctx.store.touch(sid, session)
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after touch()')
      const cookie = reviveCookie(ctx, sid, stored)
      expiresTime(cookie, 'after touch()')
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
    title: 'touch() of a session that has already expired does not bring it back',
    impact: 'A touch that races expiry resurrects a session its user was already logged out of.',
    requires: ['touch'],
    async run(ctx) {
      const timing = await ctx.timing()
      const sid = ctx.newSid()
      await ctx.store.set(sid, ctx.session(sid, { user: 'ada' }, { maxAge: 1000, expires: pastExpiry(timing) }))
      if ((await ctx.store.get(sid)) != null) {
        // The store returns the expired session untouched: ttl.past-expiry-not-returned reports that.
        ctx.note(
          'inconclusive: the store returns this expired session even before touch() (see ttl.past-expiry-not-returned)',
        )
        return
      }
      await ctx.store.call('touch', [sid, ctx.session(sid, { user: 'ada' }, { maxAge: HOUR_MS })])
      const stored = await ctx.store.get(sid)
      if (stored != null)
        fail('touch() brought an expired session back', { expected: 'no session', actual: describeValue(stored) })
    },
  },
])
