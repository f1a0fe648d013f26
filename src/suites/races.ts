import { randomBytes } from 'node:crypto'
import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectEqual, expectMissing, fail } from '../core/expect.js'
import type { AppResponse, CheckContext, SessionApp, SessionClient, StoreCallGate } from '../core/types.js'
import { expectOk, written } from './_http.js'
import { independentReader } from './_visibility.js'

/** Clients sending at once in races.parallel-sessions-isolated: well past a small connection pool. */
const PARALLEL_CLIENTS = 64

/**
 * Resolves once `client`'s request is held at `gate`; fails if the request ended without making
 * that call (express-session did not call the store as the check needs).
 */
async function heldAt(
  ctx: CheckContext,
  gate: StoreCallGate,
  client: SessionClient,
  request: Promise<AppResponse>,
  step: string,
): Promise<void> {
  const ended = request.then(
    (response) => ({ response }),
    (error: unknown) => ({ error }),
  )
  const first = await Promise.race([gate.reached.then(() => undefined), ended])
  if (first === undefined) return
  // No answer, and no store call made yet that could be waited on: only the machine was slow.
  if ('error' in first && client.calls.length === 0) {
    ctx.inconclusive(`${step}: no response before it reached ${gate.method}(), with no store call made`)
  }
  const how = 'response' in first ? `HTTP ${first.response.status}` : describeValue(first.error, 160)
  fail(`${step}: the request ended (${how}) without calling ${gate.method}()`, {
    expected: `express-session calls ${gate.method}() for this request`,
    actual: `store calls: ${client.calls.join(', ') || 'none'}`,
  })
}

/** A second request of `first`'s session (another tab), started and held at its first `method` call. */
async function heldRequest(
  ctx: CheckContext,
  app: SessionApp,
  first: SessionClient,
  method: StoreCallGate['method'],
  send: (tab: SessionClient) => Promise<AppResponse>,
  step: string,
): Promise<{ tab: SessionClient; gate: StoreCallGate; response: Promise<AppResponse> }> {
  const tab = app.client()
  tab.withCookieOf(first)
  const gate = tab.gate(method, 'before')
  const response = send(tab)
  await heldAt(ctx, gate, tab, response, step)
  return { tab, gate, response }
}

/** The store calls two overlapping requests made, for the report. */
function sequence(named: Record<string, SessionClient>): string {
  return Object.entries(named)
    .map(([name, client]) => `${name}: ${client.calls.join(' → ') || 'none'}`)
    .join('; ')
}

/**
 * Two or more requests of one session (tabs, parallel XHRs, a user double-clicking) over real
 * HTTP through express-session, interleaved exactly: one request is held at a chosen store call
 * while the other runs, so a store with the defect fails every run.
 */
export const racesChecks = defineGroup('races', [
  {
    id: 'races.touch-keeps-concurrent-write',
    level: 'required',
    levelReason: "a request's changes are lost when another request of the session ends after it",
    title: "an unmodified request's touch() that lands after an overlapping request's save does not undo it",
    impact:
      'A page that loads while another request saves writes the session it loaded back over the save: a cart ' +
      'item, a login or a CSRF token silently disappears (expressjs/session#361).',
    requires: ['touch'],
    async run(ctx) {
      const app = await ctx.sessionApp()
      const writer = app.client()
      expectOk(await writer.request('POST', '/session', { cart: ['book'] }), 'starting the session')
      // The reader loads the session, then is held before its touch() reaches the store.
      const held = await heldRequest(ctx, app, writer, 'touch', (tab) => tab.request('GET', '/session'), 'a read')
      const { tab: reader, gate, response: reading } = held
      expectOk(await writer.request('POST', '/session', { cart: ['book', 'pen'] }), 'the overlapping save')
      gate.open()
      expectOk(await reading, 'the unmodified request, after its touch()')
      const after = expectOk(await writer.request('GET', '/session'), 'reading the session afterwards')
      expectEqual(
        written(after.body.data, ['cart']),
        { cart: ['book', 'pen'] },
        `the late touch() wrote the data it loaded back over the save (${sequence({ reader, writer })})`,
      )
    },
  },
  {
    id: 'races.logout-not-undone-by-touch',
    level: 'required',
    levelReason: 'logout does not log out when another request of the session was in flight',
    title: "a logout (destroy) during another unmodified request: that request's touch() does not bring it back",
    impact:
      'A user who logs out while another tab or XHR is loading stays logged in: the late touch() re-creates the ' +
      'session, and the old cookie (or a stolen copy) still carries it.',
    requires: ['touch'],
    async run(ctx) {
      const app = await ctx.sessionApp()
      const user = app.client()
      expectOk(await user.request('POST', '/session', { user: 'ada' }), 'logging in')
      const sid = user.sid
      const held = await heldRequest(
        ctx,
        app,
        user,
        'touch',
        (other) => other.request('GET', '/session'),
        'another tab',
      )
      const { tab, gate, response: loading } = held
      expectOk(await user.request('POST', '/logout'), 'logging out')
      gate.open()
      // An error from touch() of a destroyed id is touch.missing-no-error's finding, not this one's.
      await loading
      const calls = sequence({ tab, user })
      if (sid)
        expectMissing(await ctx.store.get(sid), `the late touch() brought the logged-out session back (${calls})`)
      const after = expectOk(await tab.request('GET', '/session'), 'the next request with the old cookie')
      expectEqual(written(after.body.data, ['user']), {}, `the old cookie still carries the login (${calls})`)
      await reportModifyingRequest(ctx, app)
    },
  },
  {
    id: 'races.read-your-writes',
    level: 'required',
    levelReason: 'the page after a save (a redirect) shows the old session: a login or a change seems lost',
    title: 'once a saving response is complete, the next request sees the change, on this app server and another',
    impact:
      'Post/redirect/get shows the state before the form: the user seems not logged in, or the cart misses the ' +
      'item just added, on the same server or on the next server behind the load balancer.',
    async run(ctx) {
      const app = await ctx.sessionApp()
      const client = app.client()
      for (const step of [1, 2, 3]) {
        expectOk(await client.request('POST', '/session', { step }), `saving step ${step}`)
        const read = expectOk(await client.request('GET', '/session'), `the request after saving step ${step}`)
        expectEqual(written(read.body.data, ['step']), { step }, `the request right after saving step ${step}`)
      }
      // Only a second instance that sees the first one's sessions can serve a second app server.
      if ((await independentReader(ctx)) === ctx.store) return ctx.note('checked through one app server only')
      const other = (await ctx.sessionApp({ onPeer: true })).client()
      other.withCookieOf(client)
      // The second server reads first, as it would have served an earlier page, then each server
      // must see what the other saved as soon as the save's response is complete.
      const seen = expectOk(await other.request('GET', '/session'), 'reading on the second app server')
      expectEqual(written(seen.body.data, ['step']), { step: 3 }, 'the second app server read another step')
      expectOk(await client.request('POST', '/session', { step: 4 }), 'saving step 4 on the first app server')
      const fourth = expectOk(await other.request('GET', '/session'), 'the next request, on the second app server')
      expectEqual(
        written(fourth.body.data, ['step']),
        { step: 4 },
        'the second app server served the session as it was before the save it followed',
      )
      expectOk(await other.request('POST', '/session', { step: 5 }), 'saving step 5 on the second app server')
      const fifth = expectOk(await client.request('GET', '/session'), 'the next request, on the first app server')
      expectEqual(
        written(fifth.body.data, ['step']),
        { step: 5 },
        'the first app server served the session as it was before the save it followed',
      )
    },
  },
  {
    id: 'races.parallel-sessions-isolated',
    level: 'required',
    levelReason: "a user sees another user's session",
    title: `${PARALLEL_CLIENTS} new sessions saved at the same instant: each keeps its own data and cookie, none hangs`,
    impact:
      "Under load a user gets another user's session (logged in as someone else) or loses their own: the " +
      'worst failure a session store can have, and one that only shows with traffic.',
    async run(ctx) {
      const app = await ctx.sessionApp()
      // Every save is held until all have reached the store, then all are let go at once.
      const visitors = Array.from({ length: PARALLEL_CLIENTS }, (_, index) => {
        const token = randomBytes(8).toString('hex')
        const client = app.client()
        const gate = client.gate('set', 'before')
        return { index, token, client, gate, saving: client.request('POST', '/session', { visitor: index, token }) }
      })
      try {
        await Promise.all(visitors.map(({ gate, client, saving }) => heldAt(ctx, gate, client, saving, 'a save')))
      } finally {
        // Also when one never arrived: the others are not left holding their requests until they time out.
        for (const { gate } of visitors) gate.open()
      }
      for (const { index, saving } of visitors) expectOk(await saving, `saving visitor ${index}'s session`)
      const sids = visitors.map(({ client }) => client.sid)
      const missing = sids.filter((sid) => !sid).length
      if (missing > 0) fail(`${missing} of ${PARALLEL_CLIENTS} responses set no session cookie`)
      if (new Set(sids).size !== sids.length) fail('two visitors were given the same session id')
      const reads = await Promise.all(
        visitors.map(async (visitor) => ({ visitor, read: await visitor.client.request('GET', '/session') })),
      )
      const crossed = reads.flatMap(({ visitor: { index, token }, read }) => {
        const data = written(expectOk(read, `reading visitor ${index}'s session`).body.data, ['visitor', 'token'])
        return data.visitor === index && data.token === token ? [] : [`visitor ${index} saw ${describeValue(data, 80)}`]
      })
      if (crossed.length > 0) {
        fail(`${crossed.length} of ${PARALLEL_CLIENTS} sessions came back with other data: ${crossed[0]}`, {
          expected: 'each visitor sees the data it saved',
          actual: crossed.slice(0, 5).join('; '),
        })
      }
    },
  },
])

/**
 * What a *modifying* request in flight during a logout does is express-session's design (its
 * save writes the session it holds): reported as information, with the store calls seen.
 */
async function reportModifyingRequest(ctx: CheckContext, app: SessionApp): Promise<void> {
  const user = app.client()
  expectOk(await user.request('POST', '/session', { user: 'grace' }), 'logging in again')
  const sid = user.sid
  const save = (other: SessionClient) => other.request('POST', '/session', { cart: ['pen'] })
  const { tab, gate, response: saving } = await heldRequest(ctx, app, user, 'set', save, 'another tab’s save')
  expectOk(await user.request('POST', '/logout'), 'logging out again')
  gate.open()
  await saving
  const back = sid ? await ctx.store.get(sid) : undefined
  ctx.note(
    `a save in flight during logout ${back ? 'brought the session back' : 'did not bring the session back'} ` +
      `(express-session's design: it saves the session the request holds); ${sequence({ tab, user })}`,
  )
}
