import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectEqual, expectMissing, fail } from '../core/expect.js'
import { expiryWindow } from '../core/runner/timing.js'
import type { AppResponse, SessionApp } from '../core/types.js'

function expectOk(response: AppResponse, step: string): AppResponse {
  if (response.status !== 200) {
    fail(
      `${step}: HTTP ${response.status}${response.body.error ? ` (${describeValue(response.body.error, 120)})` : ''}`,
      {
        expected: 'HTTP 200',
        actual: `HTTP ${response.status}`,
      },
    )
  }
  return response
}

function expectNoLateErrors(app: SessionApp): void {
  const late = app.lateErrors()
  if (late.length > 0) {
    fail(`express-session reported store errors after responding: ${late.join('; ')}`, {
      expected: 'no errors',
      actual: late.join('; '),
      impact:
        'The error reaches Express after the headers were sent (ERR_HTTP_HEADERS_SENT) and the session change is lost.',
    })
  }
}

/** The keys the application wrote: stores may add their own (serialization.no-bookkeeping-leak judges that). */
function written(data: unknown, keys: readonly string[]): Record<string, unknown> {
  const source = (data ?? {}) as Record<string, unknown>
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]))
}

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
])
