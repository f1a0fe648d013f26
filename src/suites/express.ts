import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectEqual, expectMissing, fail } from '../core/expect.js'
import { expiryWindow } from '../core/runner/timing.js'
import { expectNoLateErrors, expectOk, written } from './_http.js'

/** The store behind real express-session, over HTTP on loopback, as an application uses it. */
export const expressChecks = defineGroup('express', [
  {
    id: 'express.session-round-trip',
    level: 'required',
    levelReason: 'users lose their session between requests',
    title: 'through express-session, data written in one request is there in the next (save, load, touch)',
    impact: 'Users lose their session between requests: logins and carts do not stick.',
    async run(ctx) {
      const app = await ctx.sessionApp()
      const client = app.client()
      const first = expectOk(
        await client.request('POST', '/session', { user: 'ada', visits: 1 }),
        'writing the session',
      )
      if (!client.sid)
        fail('the first response set no session cookie', { expected: 'a Set-Cookie header', actual: 'none' })
      expectEqual(first.body.sid, client.sid, 'the cookie carries another id than the session')
      // Unmodified request: express-session loads the session and touches it.
      const read = expectOk(await client.request('GET', '/session'), 'reading the session')
      expectEqual(read.body.sid, client.sid, 'the next request was given another session')
      expectEqual(
        written(read.body.data, ['user', 'visits']),
        { user: 'ada', visits: 1 },
        'the next request saw other data',
      )
      expectOk(await client.request('POST', '/session', { visits: 2 }), 'updating the session')
      const reread = expectOk(await client.request('GET', '/session'), 'reading the updated session')
      expectEqual(written(reread.body.data, ['user', 'visits']), { user: 'ada', visits: 2 }, 'the update did not stick')
      expectNoLateErrors(app)
    },
  },
  {
    id: 'express.logout-destroys',
    level: 'required',
    levelReason: 'logout does not log out',
    title: 'after req.session.destroy() the old cookie no longer loads the session',
    impact: 'Logout does not log out: the old cookie (or a stolen copy) still carries the session.',
    async run(ctx) {
      const app = await ctx.sessionApp()
      const client = app.client()
      expectOk(await client.request('POST', '/session', { user: 'ada' }), 'logging in')
      const sid = client.sid
      const before = expectOk(await client.request('GET', '/session'), 'reading the session before logout')
      expectEqual(written(before.body.data, ['user']), { user: 'ada' }, 'the session was not there before logout')
      expectOk(await client.request('POST', '/logout'), 'logging out')
      const after = expectOk(await client.request('GET', '/session'), 'the request after logout')
      expectEqual(written(after.body.data, ['user']), {}, 'the request after logout still saw the session')
      if (sid) expectMissing(await ctx.store.get(sid), 'the store still holds the destroyed session')
      expectNoLateErrors(app)
    },
  },
  {
    id: 'express.regenerate-replaces',
    level: 'required',
    levelReason: 'the old id survives login: session fixation',
    title: 'req.session.regenerate() issues a new id and the old id no longer loads',
    impact:
      'Regenerating on login is the defence against session fixation: if the old id survives, an attacker who ' +
      'planted it is logged in too.',
    async run(ctx) {
      const app = await ctx.sessionApp()
      const client = app.client()
      expectOk(await client.request('POST', '/session', { cart: ['book'] }), 'starting an anonymous session')
      const oldSid = client.sid
      const login = expectOk(await client.request('POST', '/login', { user: 'ada' }), 'logging in with regenerate()')
      if (!client.sid || client.sid === oldSid)
        fail('regenerate() kept the old session id', { expected: 'a new id', actual: describeValue(client.sid) })
      expectEqual(login.body.sid, client.sid, 'the new cookie carries another id than the new session')
      const read = expectOk(await client.request('GET', '/session'), 'reading the new session')
      expectEqual(written(read.body.data, ['user', 'cart']), { user: 'ada' }, 'the new session has the wrong data')
      if (oldSid) expectMissing(await ctx.store.get(oldSid), 'the old session still loads after regenerate()')
      expectNoLateErrors(app)
    },
  },
  {
    id: 'express.active-user-kept',
    level: 'recommended',
    levelReason: 'logs active users out only with rolling cookies, which are not the default',
    title: 'a user who keeps making requests that change nothing outlives the first expiry (resave: false, rolling)',
    impact:
      'With resave: false only touch() tells the store a session is in use: without it, or with a touch that does ' +
      'not extend, an active user who only reads is logged out at the first expiry.',
    timed: true,
    async run(ctx) {
      const timing = await ctx.timing()
      const margin = timing.granularityMs + timing.slackMs
      // A request every gap, each answered within answerMs, keeps a touched session alive even
      // when the store rounds its expiry down by a granule; later attempts allow slower answers.
      const answerMs = (2 * timing.latencyMs + 250) * ctx.attempt
      const gapMs = answerMs
      const lifeMs = Math.max(expiryWindow(timing, ctx.attempt).lifeMs, margin + gapMs + answerMs)
      const app = await ctx.sessionApp({ maxAgeMs: lifeMs, rolling: true })
      const client = app.client()
      const loginSentAt = Date.now()
      expectOk(await client.request('POST', '/session', { user: 'ada' }), 'logging in')
      // Past the first expiry, even rounded up by a granule, with requests all along; counted from
      // the answer, since the session was saved (and its expiry set) at the end of the request.
      const until = Date.now() + lifeMs + margin
      // Each request's touch extends the session only if it reaches the store before the expiry
      // the previous request set (at least that request's send time + lifeMs, less a granule): a
      // request answered later than that breaks the chain, and a logout after it proves nothing.
      let lastSentAt = loginSentAt
      let lateBy: number | undefined
      while (lastSentAt <= until) {
        await ctx.sleepUntil(lastSentAt + gapMs)
        const sentAt = Date.now()
        const read = expectOk(await client.request('GET', '/session'), 'reading the session')
        const late = Date.now() - (lastSentAt + lifeMs - margin)
        if (late >= 0) lateBy ??= late
        if (written(read.body.data, ['user']).user !== 'ada') {
          if (lateBy !== undefined)
            ctx.inconclusive(`a request was answered ${lateBy} ms after the session could expire`)
          fail(`the user was logged out ${sentAt - loginSentAt} ms after logging in, while active every ${gapMs} ms`, {
            expected: `the session kept alive by requests every ${gapMs} ms (life ${lifeMs} ms)`,
            actual: 'a new, empty session',
          })
        }
        lastSentAt = sentAt
      }
      expectNoLateErrors(app)
    },
  },
  {
    id: 'express.uninitialized-not-stored',
    level: 'recommended',
    levelReason: 'storage fills with empty sessions; no user loses anything',
    title: 'with saveUninitialized: false, a visitor who changes nothing leaves nothing in the store',
    impact:
      'Every visit by a bot, a health check or a user whose session is gone adds an empty session: storage grows ' +
      'with traffic, and privacy rules that require consent before storing anything are broken.',
    async run(ctx) {
      const app = await ctx.sessionApp()
      const visitor = app.client()
      const first = expectOk(await visitor.request('GET', '/session'), 'a first visit that changes nothing')
      expectMissing(await ctx.store.get(String(first.body.sid)), 'a first visit that changed nothing was stored')
      // A visitor whose session is gone (logged out in another tab, expired) still sends its cookie:
      // express-session asks the store for that id, finds nothing and starts a new session.
      const returning = app.client()
      expectOk(await returning.request('POST', '/session', { user: 'ada' }), 'logging in')
      const gone = returning.sid
      expectOk(await returning.request('POST', '/logout'), 'logging out')
      const back = expectOk(
        await returning.request('GET', '/session'),
        'a visit with the cookie of a session that is gone',
      )
      if (gone) expectMissing(await ctx.store.get(gone), 'asking for a session that is gone stored one under its id')
      expectMissing(await ctx.store.get(String(back.body.sid)), 'the new, unchanged session was stored')
      expectNoLateErrors(app)
    },
  },
  {
    id: 'express.touch-moves-expiry',
    level: 'recommended',
    levelReason: 'an active user is logged out at the first expiry only where the cookie outlives it (rolling)',
    title: "with resave: false, a request that changes nothing moves the session's expiry in the store (touch)",
    impact:
      'express-session tells the store a session is in use only through touch(): if the expiry does not move, a ' +
      'user who keeps reading is logged out when the session was due to expire after the login.',
    requires: ['touch'],
    timed: true,
    async run(ctx) {
      const timing = await ctx.timing()
      const margin = timing.granularityMs + timing.slackMs
      // Long enough that the touch lands mid-life and the check reads after the old expiry while
      // the new one, rounded down by a granule, is still ahead.
      const lifeMs = 2 * (expiryWindow(timing, ctx.attempt).lifeMs + timing.granularityMs)
      const app = await ctx.sessionApp({ maxAgeMs: lifeMs })
      const client = app.client()
      const loginSentAt = Date.now()
      expectOk(await client.request('POST', '/session', { user: 'ada' }), 'logging in')
      const savedBy = Date.now()
      await ctx.sleepUntil(savedBy + lifeMs / 2)
      const touchSentAt = Date.now()
      expectOk(await client.request('GET', '/session'), 'a request that changes nothing')
      if (Date.now() > loginSentAt + lifeMs - margin) {
        ctx.inconclusive('the request that changes nothing was answered after the session could expire')
      }
      // Past the old expiry even where the store rounds up by a granule.
      await ctx.sleepUntil(savedBy + lifeMs + margin)
      const found = await ctx.store.get(String(client.sid))
      if (Date.now() > touchSentAt + lifeMs - margin) ctx.inconclusive('the read came after the new expiry too')
      if (!found) {
        const touchedAfter = touchSentAt - loginSentAt
        fail(`the session expired ${lifeMs} ms after the login although a request ${touchedAfter} ms in touched it`, {
          expected: `the session alive until about ${lifeMs} ms after the last request`,
          actual: 'gone at the expiry the login set',
        })
      }
    },
  },
  {
    id: 'express.remember-me-survives',
    level: 'recommended',
    levelReason: 'only "remember me" (a cookie-only change, rolling cookies) suffers; no data is lost',
    title: 'a cookie-only change ("remember me" raising maxAge) survives the next request and outlives the old expiry',
    impact:
      'express-session does not count a cookie change as a change: "remember me" reaches the store only through ' +
      'touch(), and the user is logged out when the short session would have ended (connect-redis#92).',
    requires: ['touch'],
    timed: true,
    async run(ctx) {
      const timing = await ctx.timing()
      const margin = timing.granularityMs + timing.slackMs
      // Room for two requests (the login and "remember me") before the short session may expire.
      const lifeMs = 2 * expiryWindow(timing, ctx.attempt).lifeMs
      const rememberMs = 10 * 60 * 1000
      const app = await ctx.sessionApp({ maxAgeMs: lifeMs, rolling: true })
      const client = app.client()
      const loginSentAt = Date.now()
      expectOk(await client.request('POST', '/session', { user: 'ada' }), 'logging in')
      const loggedInBy = Date.now()
      const sid = client.sid
      const remembered = expectOk(await client.request('POST', '/remember', { maxAge: rememberMs }), '"remember me"')
      const rememberedAfter = Date.now() - loginSentAt
      if (rememberedAfter > lifeMs - margin) {
        ctx.inconclusive('"remember me" was answered after the short session could expire')
      }
      if (remembered.body.sid !== sid) {
        fail(`the session was gone when "remember me" was ticked, ${rememberedAfter} ms into its ${lifeMs} ms life`, {
          expected: 'the session logged in just before',
          actual: 'a new session',
        })
      }
      // A store that keeps the old cookie has already lost it here: touch.updates-stored-cookie's finding.
      await ctx.prerequisite('touch.updates-stored-cookie', 'the next request loading the raised maxAge', async () => {
        const loaded = expectOk(await client.request('GET', '/cookie'), 'the next request')
        expectEqual(loaded.body.sid, sid, 'the next request was given another session')
        // What express-session stored: its maxAge setter reads the clock twice, so 600000 may come out 599999.
        expectEqual(loaded.body.originalMaxAge, remembered.body.maxAge, 'the next request loaded the old maxAge')
      })
      // Past the expiry the login set (at the latest when its response came), even rounded up by a granule.
      await ctx.sleepUntil(loggedInBy + lifeMs + margin)
      const read = expectOk(await client.request('GET', '/session'), 'a request after the old expiry')
      expectEqual(
        written(read.body.data, ['user']),
        { user: 'ada' },
        `the session ended at the old expiry (${lifeMs} ms) although "remember me" raised maxAge to ${rememberMs} ms`,
      )
      expectNoLateErrors(app)
    },
  },
  {
    id: 'express.expired-gets-fresh-session',
    level: 'required',
    levelReason: 'an expired login goes on working: the session never ends',
    title: 'a request with the cookie of an expired session gets a new, empty session (another id, no old data)',
    impact:
      'An expired login keeps working for anyone who still has the cookie (a stolen copy, a browser that kept ' +
      'it): the server-side expiry is the one that counts.',
    timed: true,
    async run(ctx) {
      const timing = await ctx.timing()
      const { lifeMs, goneAfterMs } = expiryWindow(timing, ctx.attempt)
      const app = await ctx.sessionApp({ maxAgeMs: lifeMs })
      const client = app.client()
      expectOk(await client.request('POST', '/session', { user: 'ada' }), 'logging in')
      const expired = client.sid
      await ctx.sleepUntil(Date.now() + goneAfterMs)
      const read = expectOk(await client.request('GET', '/session'), 'a request after the session expired')
      expectEqual(written(read.body.data, ['user']), {}, 'a request after the session expired still saw its data')
      if (read.body.sid === expired) {
        fail('a request after the session expired was served under the expired id', {
          expected: 'a new session id',
          actual: describeValue(read.body.sid),
        })
      }
      expectNoLateErrors(app)
    },
  },
])
