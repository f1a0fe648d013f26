import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import {
  expectData,
  expectedData,
  expectMissing,
  expectSession,
  expiresTime,
  fail,
  reviveCookie,
} from '../core/expect.js'
import { isMissError } from '../core/miss.js'
import { outcomeValue } from '../core/runner/store-driver.js'
import { comesTo, eventually, expectVisibleOnCallback, independentReader, peek, readOnCallback } from './_visibility.js'

/** get / set / destroy: the methods express-session calls on every request. */
export const coreChecks = defineGroup('core', [
  {
    id: 'get.miss-returns-nothing',
    level: 'required',
    levelReason: 'every visitor with a stale cookie gets a 500',
    title: 'get() of an unknown id calls back with no error and no session',
    impact:
      'express-session passes any get() error to next(err): a visitor with a stale cookie gets a 500 instead of a ' +
      'new session.',
    async run(ctx) {
      const sid = ctx.newSid()
      const outcome = await ctx.store.call('get', [sid])
      if (outcome.kind !== 'callback') outcomeValue('get', [sid], outcome, ctx.callTimeoutMs)
      const { error, value } = outcome as Extract<typeof outcome, { kind: 'callback' }>
      if (error != null) {
        if (isMissError(error)) {
          ctx.warn(
            'a miss calls back with an ENOENT error; express-session tolerates it, but it is not the contract ' +
              '(null, null)',
          )
          return
        }
        fail(`a miss called back with an error: ${describeValue(error)}`, {
          expected: 'callback(null, null) or callback()',
          actual: describeValue(error),
        })
      }
      expectMissing(value, 'a miss returned a session')
    },
  },
  {
    id: 'set.round-trip',
    level: 'required',
    levelReason: 'sessions lose their data between requests',
    title: 'set() then get() returns the data and a cookie express-session can revive',
    impact: 'Sessions lose their data, or express-session cannot rebuild the cookie and fails the request.',
    async run(ctx) {
      const sid = ctx.newSid()
      const session = ctx.session(sid, { user: { id: 7, name: 'ada' }, visits: 3, flags: ['a', 'b'] })
      await ctx.store.set(sid, session)
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing right after set()')
      expectData(stored, expectedData(session), 'get() returned different data than was set')
      const cookie = reviveCookie(ctx, sid, stored)
      const expires = expiresTime(cookie, 'after a round trip')
      if (expires !== session.cookie.expires?.getTime()) {
        fail('cookie.expires changed in the round trip', {
          expected: describeValue(session.cookie.expires),
          actual: describeValue(cookie.expires),
        })
      }
      if (cookie.originalMaxAge !== session.cookie.originalMaxAge) {
        fail('cookie.originalMaxAge changed in the round trip', {
          expected: String(session.cookie.originalMaxAge),
          actual: describeValue(cookie.originalMaxAge),
        })
      }
    },
  },
  {
    id: 'set.overwrites',
    level: 'required',
    levelReason: 'data the app removed (a logout) comes back',
    title: 'set() on an existing id replaces the whole session (an upsert, not a merge)',
    impact: 'Data the application removed (e.g. delete req.session.user on logout) comes back on the next request.',
    async run(ctx) {
      const sid = ctx.newSid()
      await ctx.store.set(sid, ctx.session(sid, { user: 'ada', cart: [1, 2] }))
      const second = ctx.session(sid, { cart: [3] })
      await ctx.store.set(sid, second)
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after the second set()')
      expectData(stored, expectedData(second), 'the second set() did not replace the first', { forbid: ['user'] })
    },
  },
  {
    id: 'destroy.removes',
    level: 'required',
    levelReason: 'logout leaves the session usable',
    title: 'once destroy() calls back, get() returns nothing for that id',
    impact: 'Logout and regenerate leave the old session usable: a stolen cookie keeps working (session fixation).',
    async run(ctx) {
      const sid = ctx.newSid()
      await ctx.store.set(sid, ctx.session(sid, { user: 'ada' }))
      await ctx.store.destroy(sid)
      expectMissing(await ctx.store.get(sid), 'the session was still there after destroy() called back')
    },
  },
  {
    id: 'destroy.unknown-id',
    level: 'required',
    levelReason: 'logging out of an expired session fails the request',
    title: 'destroy() of an unknown id calls back without an error',
    impact: 'Logging out twice, or after the session expired, fails with an error instead of succeeding.',
    async run(ctx) {
      await ctx.store.destroy(ctx.newSid())
    },
  },
  {
    id: 'destroy.without-callback',
    level: 'required',
    levelReason: 'req.session.destroy() without a callback crashes the app',
    title: 'destroy() without a callback neither throws nor leaves the session behind',
    impact:
      'req.session.destroy() without a callback passes undefined to the store (expressjs/session#898): the app ' +
      'crashes with "callback is not a function".',
    async run(ctx) {
      const sid = ctx.newSid()
      await ctx.store.set(sid, ctx.session(sid, { user: 'ada' }))
      const outcome = await ctx.store.call('destroy', [sid], { omitCallback: true })
      if (outcome.kind === 'threw') {
        fail(`destroy(sid) without a callback threw: ${describeValue(outcome.error)}`, {
          expected: 'no throw',
          actual: describeValue(outcome.error),
        })
      }
      // Completion is not observable without a callback: poll until the session is gone.
      if (
        !(await eventually(
          () => ctx.store.get(sid),
          (value) => value == null,
          ctx.callTimeoutMs,
        ))
      )
        fail(`the session was still there ${ctx.callTimeoutMs} ms after destroy(sid) without a callback`)
    },
  },
  {
    id: 'set.ids-independent',
    level: 'required',
    levelReason: "one user sees or loses another user's session",
    title: 'sessions under different ids do not interfere, even when one id is a prefix of another',
    impact: "One user sees, overwrites or loses another user's session.",
    async run(ctx) {
      // One id a prefix of the next: a store that matches keys by pattern or prefix removes both.
      const [a, b] = [ctx.newSid(), ctx.newSid()]
      const [short, long] = [a, `${a}0`]
      try {
        for (const [sid, owner] of [
          [short, 'short'],
          [long, 'long'],
          [b, 'b'],
        ] as const) {
          await ctx.store.set(sid, ctx.session(sid, { owner }))
        }
        await ctx.store.destroy(short)
        await ctx.store.set(b, ctx.session(b, { owner: 'b', changed: true }))
        const storedLong = expectSession(await ctx.store.get(long), `destroying ${short} removed ${long}`)
        expectData(storedLong, { owner: 'long' }, `the session under ${long} holds another id's data`)
        const storedB = expectSession(await ctx.store.get(b), 'destroying one session removed another')
        expectData(storedB, { owner: 'b', changed: true }, 'writing one session did not stick or changed another')
      } finally {
        await ctx.store.destroy(long).catch(() => {})
      }
    },
  },
  {
    id: 'set.ids-case-sensitive',
    level: 'recommended',
    levelReason: 'only custom genids produce ids that differ in case alone',
    title: 'ids that differ only in letter case are different sessions',
    impact:
      'Session ids are case-sensitive base64url; a case-insensitive key (a *_ci SQL collation) merges two of ' +
      'them. Random ids make a collision unlikely, custom genids less so.',
    async run(ctx) {
      const base = ctx.newSid()
      const [lower, upper] = [`${base}-case-a`, `${base}-CASE-A`]
      try {
        await ctx.store.set(lower, ctx.session(lower, { owner: 'lower' }))
        await ctx.store.set(upper, ctx.session(upper, { owner: 'upper' }))
        for (const [sid, owner] of [
          [lower, 'lower'],
          [upper, 'upper'],
        ] as const) {
          const stored = expectSession(await ctx.store.get(sid), `the session under ${sid} disappeared`)
          expectData(stored, { owner }, `the session under ${sid} holds another id's data`)
        }
      } finally {
        await Promise.all([lower, upper].map((sid) => ctx.store.destroy(sid).catch(() => {})))
      }
    },
  },
  {
    id: 'set.any-sid-characters',
    level: 'recommended',
    levelReason: 'only custom genids produce these characters; the default id is base64url',
    title: 'ids with characters a custom genid may produce (/ : % space unicode) round-trip and stay distinct',
    impact:
      'With a custom genid, sessions fail to save or two users share one entry (ids escaped or truncated into the ' +
      'same key).',
    async run(ctx) {
      const base = ctx.newSid()
      const variants = ['/x', ':x', '_x', '%2Fx', ' x', '.x', 'ü-✓'].map((suffix) => `${base}${suffix}`)
      const register = variants.map((sid) => ({ sid, session: ctx.session(sid, { which: sid }) }))
      try {
        for (const { sid, session } of register) await ctx.store.set(sid, session)
        for (const { sid } of register) {
          const stored = expectSession(
            await ctx.store.get(sid),
            `get(${JSON.stringify(sid)}) returned nothing after set()`,
          )
          expectData(
            stored,
            { which: sid },
            `the session stored under ${JSON.stringify(sid)} came back with another id's data`,
          )
        }
      } finally {
        await Promise.all(register.map(({ sid }) => ctx.store.destroy(sid).catch(() => {})))
      }
    },
  },
  {
    id: 'set.visible-on-callback',
    level: 'required',
    levelReason: 'the next request (on another process) reads the old session: the write is lost to it',
    title: 'once set() calls back, the session is there for any reader (another connection, another process)',
    impact:
      'express-session answers the request when set() calls back: the next request, possibly served by another ' +
      'process, reads the session before the write landed and works on stale data.',
    async run(ctx) {
      const reader = await independentReader(ctx)
      await expectVisibleOnCallback('set()', async () => {
        const sid = ctx.newSid()
        const seen = await readOnCallback(ctx, 'set', [sid, ctx.session(sid, { user: 'ada' })], () => peek(reader, sid))
        const visibleLater = () => comesTo(reader, sid, true)
        return { visibleNow: seen != null, visibleLater, seen }
      })
    },
  },
  {
    id: 'destroy.visible-on-callback',
    level: 'required',
    levelReason: 'logout answers while the session still loads: the old cookie keeps working',
    title: 'once destroy() calls back, the session is gone for any reader (no soft delete queued after it)',
    impact:
      'Logout and regenerate respond while the old session still loads: a request racing the logout (or a stolen ' +
      'cookie) still gets in.',
    async run(ctx) {
      const reader = await independentReader(ctx)
      await expectVisibleOnCallback('destroy()', async () => {
        const sid = ctx.newSid()
        await ctx.store.set(sid, ctx.session(sid, { user: 'ada' }))
        await comesTo(reader, sid, true)
        const seen = await readOnCallback(ctx, 'destroy', [sid], () => peek(reader, sid))
        const visibleLater = () => comesTo(reader, sid, false)
        return { visibleNow: seen == null, visibleLater, seen }
      })
    },
  },
  {
    id: 'get.foreign-record',
    level: 'required',
    levelReason: 'a throw from get() crashes express-session: the request fails or the app goes down',
    title: 'get() of a record without a cookie, or with fields this app never wrote, calls back (never throws)',
    impact:
      'Sessions written by another app version or by hand reach get(): a store that throws on them crashed ' +
      'express-session instead of calling back with an error or the data.',
    async run(ctx) {
      const records: [string, Record<string, unknown>][] = [
        ['without a cookie', { user: 'ada' }],
        ['with a cookie of another shape', { user: 'ada', cookie: { maxAge: 60_000, legacy: true } }],
        ['with extra fields', { user: 'ada', __v: 3, _id: 'x', cookie: { originalMaxAge: null, expires: null } }],
      ]
      for (const [label, record] of records) {
        const sid = ctx.newSid()
        // express-session never writes such a record: a set() that fails on one is not this check's finding.
        const stored = await ctx.outsideVerdict(`set() of a record ${label}`, () =>
          ctx.store.call('set', [sid, record]),
        )
        if (stored?.kind !== 'callback' || stored.error != null) {
          ctx.note(`set() refused a record ${label}, so get() of one could not be tried`)
          continue
        }
        const outcome = await ctx.store.call('get', [sid])
        if (outcome.kind === 'threw') {
          fail(`get() of a record ${label} threw: ${describeValue(outcome.error)}`, {
            expected: 'callback(null, data) or callback(error)',
            actual: `threw ${describeValue(outcome.error)}`,
          })
        }
        if (outcome.kind !== 'callback')
          fail(`get() of a record ${label} did not call back within ${ctx.callTimeoutMs} ms`)
      }
    },
  },
])
