import { performance } from 'node:perf_hooks'
import { defineGroup } from '../core/define-check.js'
import { describeValue, messageOf } from '../core/errors.js'
import { fail } from '../core/expect.js'
import { setTimeout } from '../core/timers.js'
import type { AppResponse, CheckContext, FaultableInstance, SessionClient } from '../core/types.js'
import {
  callEachDuringFault,
  type FaultedCall,
  hangsAndThrows,
  lostBeforeFault,
  recoveryWindowMs,
  seconds,
  untilRecovered,
} from './_faults.js'

/** A session written and acknowledged before the fault, to be found again after it. */
async function writtenBefore(ctx: CheckContext, instance: FaultableInstance): Promise<string> {
  const sid = ctx.newSid()
  await instance.store.set(sid, ctx.session(sid, { before: 'fault' }))
  return sid
}

/** Fails with every finding (the first in the message), or passes when there are none. */
function failOn(findings: readonly string[], expected: string): void {
  if (findings.length === 0) return
  const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : ''
  fail(`${findings[0]}${more}`, { expected, actual: findings.join('; ') })
}

/** The 'disconnect'/'connect' events a store emits, as express-session listens for them. */
function watchReadiness(instance: FaultableInstance): { events: string[]; stop(): void } {
  const events: string[] = []
  const raw = instance.raw
  const on = (name: string) => () => events.push(name)
  const listeners = { disconnect: on('disconnect'), connect: on('connect') }
  if (typeof raw.on !== 'function') return { events, stop: () => {} }
  raw.on('disconnect', listeners.disconnect)
  raw.on('connect', listeners.connect)
  return {
    events,
    stop: () => {
      raw.off?.('disconnect', listeners.disconnect)
      raw.off?.('connect', listeners.connect)
    },
  }
}

/** A request that must answer, whatever the status: during an outage an error response is right. */
async function answered(client: SessionClient, step: string): Promise<AppResponse> {
  try {
    return await client.request('GET', '/session')
  } catch (error) {
    return fail(`${step}: ${messageOf(error)}`, {
      expected: 'a response (an error response during the outage)',
      actual: 'no response',
      impact: 'Every request of the app hangs while the backend is down, and piles up until the process falls over.',
    })
  }
}

/** Every method called while the backend is down or stalled: each must call back within the call timeout. */
async function callsBackDuring(ctx: CheckContext, fault: 'down' | 'stall'): Promise<FaultedCall[]> {
  const instance = await ctx.faultable()
  const existing = await writtenBefore(ctx, instance)
  await instance.faults[fault]()
  const calls = await callEachDuringFault(ctx, instance, existing)
  await instance.faults.heal()
  const what = fault === 'down' ? 'the backend was down' : 'the backend stalled'
  const findings = await hangsAndThrows(calls, performance.now(), recoveryWindowMs(ctx), what)
  failOn(findings, `every call calls back within ${ctx.callTimeoutMs} ms`)
  ctx.note(`faults made by ${instance.faults.method}`)
  return calls
}

/**
 * A session written, the backend made to fail while the store is called (so it sees the fault),
 * then back: the same instance must work again, and the session must be there where the backend
 * itself kept it (a stall always does; a killed server only if it persists).
 */
async function recoversFrom(ctx: CheckContext, fault: 'down' | 'stall'): Promise<void> {
  const instance = await ctx.faultable()
  const existing = await writtenBefore(ctx, instance)
  await instance.faults[fault]()
  await callEachDuringFault(ctx, instance, existing)
  await instance.faults.heal()
  const back = fault === 'down' ? 'the backend came back' : 'the stall ended'
  const tookMs = await untilRecovered(ctx, instance, back)
  ctx.note(`worked again ${seconds(tookMs)} after ${back} (${instance.faults.method})`)
  if (fault === 'down' && !instance.faults.downKeepsData) {
    ctx.note('the backend itself lost its data in this fault, so earlier writes were not checked')
    return
  }
  const lost = await lostBeforeFault(instance, existing)
  if (lost)
    fail(lost, { expected: `the session written before the ${fault === 'down' ? 'outage' : 'stall'}`, actual: lost })
}

/** The backend stalls or goes away and comes back: what production does to a store. */
export const resilienceChecks = defineGroup('resilience', [
  {
    id: 'resilience.down-calls-back',
    level: 'required',
    levelReason: 'requests hang for as long as the backend is down',
    title: 'while the backend is down, every call calls back (with an error) within the call timeout',
    impact:
      'express-session holds each response until the store calls back: while the backend is down every request ' +
      'hangs instead of failing fast, and the app runs out of sockets and memory.',
    faults: true,
    async run(ctx) {
      const calls = await callsBackDuring(ctx, 'down')
      for (const { outcome } of calls.filter((call) => call.method === 'get')) {
        if (outcome.kind === 'callback' && !outcome.error)
          ctx.warn(`get() answered ${describeValue(outcome.value, 60)} without an error while the backend was down`)
      }
    },
  },
  {
    id: 'resilience.stall-calls-back',
    level: 'recommended',
    levelReason:
      'the hang lasts as long as the backend stalls; bounding it is often the client configuration (a command ' +
      'timeout) rather than the store code',
    title: 'while the backend stalls (connected, no answer), every call calls back within the call timeout',
    impact:
      'A paused or overloaded backend (a long fsync, a failover, a full network buffer) hangs every request for ' +
      'as long as it lasts, unless the store or its client gives up in time.',
    faults: true,
    run: async (ctx) => void (await callsBackDuring(ctx, 'stall')),
  },
  {
    id: 'resilience.failed-write-not-acknowledged',
    level: 'required',
    levelReason: 'a write reported as done is lost: the user loses what the request changed',
    title: 'a set() the backend never received is not acknowledged as success',
    impact:
      'The request that saved the session reports success (a login, a cart), but nothing was stored: the user ' +
      'finds it gone on the next request, and nothing was logged.',
    faults: true,
    async run(ctx) {
      const instance = await ctx.faultable()
      // Connected first: a write queued behind the first connection is not what is judged here.
      await writtenBefore(ctx, instance)
      await instance.faults.down()
      const sid = ctx.newSid()
      const outcome = await instance.store.call('set', [sid, ctx.session(sid, { written: 'during the outage' })])
      await instance.faults.heal()
      // A call that never answered is down-calls-back's finding; an error is the right answer.
      if (outcome.kind !== 'callback' || outcome.error) return
      await untilRecovered(ctx, instance, 'the backend came back')
      const back = (await instance.store.get(sid)) as Record<string, unknown> | null | undefined
      if (back?.written === 'during the outage') {
        ctx.note('set() called back without an error while the backend was down, and the write was kept (queued)')
        return
      }
      fail('set() called back without an error while the backend was down, and the session was never stored', {
        expected: 'an error to the callback, or the write kept',
        actual: `success, then get() after recovery gave ${describeValue(back, 80)}`,
      })
    },
  },
  {
    id: 'resilience.recovers',
    level: 'required',
    levelReason: 'the app serves no sessions until it is restarted: every user is logged out',
    title: 'after the backend is back, the same store instance works again and earlier writes are there',
    impact:
      'One backend restart or network blip leaves the store broken for the life of the process: every user is ' +
      'logged out until someone restarts the app.',
    faults: true,
    run: (ctx) => recoversFrom(ctx, 'down'),
  },
  {
    id: 'resilience.recovers-after-stall',
    level: 'required',
    levelReason: 'the app serves no sessions until it is restarted: every user is logged out',
    title: 'after a stalled backend answers again, the same instance works and earlier writes are there',
    impact:
      'A pause of the backend (a long fsync, a VM migration) leaves the store broken or its data lost for the ' +
      'life of the process.',
    faults: true,
    run: (ctx) => recoversFrom(ctx, 'stall'),
  },
  {
    id: 'resilience.readiness-restored',
    level: 'required',
    levelReason: 'express-session serves every later request without a session: every user is logged out',
    title: "a store that emits 'disconnect' emits 'connect' once it works again",
    impact:
      "express-session stops using a store after its 'disconnect' event until 'connect': a store that never says " +
      'it is back leaves every later request without req.session, for the life of the process.',
    faults: true,
    async run(ctx) {
      const instance = await ctx.faultable()
      const readiness = watchReadiness(instance)
      try {
        const existing = await writtenBefore(ctx, instance)
        await instance.faults.down()
        await callEachDuringFault(ctx, instance, existing)
        await instance.faults.heal()
        await untilRecovered(ctx, instance, 'the backend came back')
        const lastDisconnect = readiness.events.lastIndexOf('disconnect')
        if (lastDisconnect === -1) {
          ctx.note("the store emitted no 'disconnect' (express-session keeps using it throughout)")
          return
        }
        if (readiness.events.indexOf('connect', lastDisconnect) !== -1) return
        fail("the store emitted 'disconnect' during the outage and no 'connect' after it worked again", {
          expected: "'connect' after 'disconnect', once the store works",
          actual: `events: ${readiness.events.join(', ')}`,
        })
      } finally {
        readiness.stop()
      }
    },
  },
  {
    id: 'resilience.app-answers-during-outage',
    level: 'required',
    levelReason: 'requests hang during the outage, or users stay logged out after it',
    title: 'an express app over the store answers every request during an outage and serves sessions after it',
    impact:
      'During an outage the app must fail fast (an error page) rather than hang; after it, users must find their ' +
      'sessions again without the app being restarted.',
    faults: true,
    async run(ctx) {
      const instance = await ctx.faultable()
      const app = await instance.sessionApp()
      const client = app.client()
      const login = await client.request('POST', '/session', { user: 'ada' })
      if (login.status !== 200)
        fail(`logging in before the outage: HTTP ${login.status}`, {
          expected: 'HTTP 200',
          actual: String(login.status),
        })
      await instance.faults.down()
      const during = await answered(client, 'a request during the outage got no response')
      await instance.faults.heal()
      if (during.status === 200 && (during.body.data as Record<string, unknown> | undefined)?.user === 'ada')
        ctx.note('a request during the outage was served from somewhere other than the backend')
      const deadline = performance.now() + recoveryWindowMs(ctx)
      let last: AppResponse | undefined
      while (performance.now() < deadline) {
        last = await answered(client, 'a request after the outage got no response')
        const user = (last.body.data as Record<string, unknown> | undefined)?.user
        if (last.status === 200 && (user === 'ada' || !instance.faults.downKeepsData)) return
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const what = last
        ? `HTTP ${last.status} ${describeValue(last.body.error ?? last.body.data, 100)}`
        : 'no request finished'
      fail(`the app did not serve the session again within ${seconds(recoveryWindowMs(ctx))} after the outage`, {
        expected: "HTTP 200 with the user's session",
        actual: what,
      })
    },
  },
])
