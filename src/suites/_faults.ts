import { performance } from 'node:perf_hooks'
import { describeValue, messageOf } from '../core/errors.js'
import { fail } from '../core/expect.js'
import { setTimeout } from '../core/timers.js'
import type { CallOutcome, CheckContext, FaultableInstance, StoreMethod } from '../core/types.js'

/**
 * How long a store may take to work again once its backend answers: clients reconnect with a
 * backoff (node-redis waits up to 500 ms between tries, a pool opens new connections on demand).
 */
export function recoveryWindowMs(ctx: CheckContext): number {
  return Math.max(10_000, ctx.callTimeoutMs * 3)
}

/** One store call made while the backend was failing, and what came of it. */
export interface FaultedCall {
  readonly label: string
  readonly method: StoreMethod
  readonly outcome: CallOutcome
  /** performance.now() when the call was made. */
  readonly startedAt: number
}

/** A call of each method express-session makes, at once, as concurrent requests would. */
export async function callEachDuringFault(
  ctx: CheckContext,
  instance: FaultableInstance,
  existing: string,
): Promise<FaultedCall[]> {
  const fresh = ctx.newSid()
  const calls: { label: string; method: StoreMethod; args: unknown[] }[] = [
    { label: 'get', method: 'get', args: [existing] },
    { label: 'set', method: 'set', args: [fresh, ctx.session(fresh, { during: 'fault' })] },
    { label: 'destroy', method: 'destroy', args: [ctx.newSid()] },
  ]
  if (ctx.capabilities.touch)
    calls.push({ label: 'touch', method: 'touch', args: [existing, ctx.session(existing, { before: 'fault' })] })
  return Promise.all(
    calls.map(async ({ label, method, args }) => {
      const startedAt = performance.now()
      return { label, method, startedAt, outcome: await instance.store.call(method, args) }
    }),
  )
}

/**
 * What went wrong with each call, once the backend is back: a call that timed out is watched
 * until it calls back (or the recovery window ends), so the finding says how long it hung.
 */
export async function hangsAndThrows(
  calls: readonly FaultedCall[],
  healedAt: number,
  windowMs: number,
  what: string,
): Promise<string[]> {
  const findings: string[] = []
  for (const call of calls) {
    const { outcome } = call
    if (outcome.kind === 'threw')
      findings.push(`${call.label}() threw instead of calling back: ${messageOf(outcome.error)}`)
    if (outcome.kind === 'returned') findings.push(`${call.label}() returned without ever calling back`)
    if (outcome.kind !== 'timeout') continue
    const answeredAt = await firstCallback(outcome.calls, healedAt + windowMs)
    const late =
      answeredAt === undefined
        ? `and had not called back ${seconds(performance.now() - healedAt)} after the backend came back`
        : answeredAt <= healedAt
          ? `it called back after ${seconds(answeredAt - call.startedAt)}`
          : `it called back only after the backend came back, ${seconds(answeredAt - call.startedAt)} after the call`
    findings.push(`${call.label}() did not call back within ${outcome.timeoutMs} ms while ${what}; ${late}`)
  }
  return findings
}

/** When `calls()` first turns positive (performance.now()), watching until `deadline`; undefined if never. */
async function firstCallback(calls: () => number, deadline: number): Promise<number | undefined> {
  while (performance.now() < deadline) {
    if (calls() > 0) return performance.now()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return undefined
}

/**
 * Waits until the same instance completes a write and a read again, trying every 100 ms within
 * the recovery window; returns how long it took, or fails naming the last error.
 */
export async function untilRecovered(ctx: CheckContext, instance: FaultableInstance, what: string): Promise<number> {
  const started = performance.now()
  const windowMs = recoveryWindowMs(ctx)
  let last = 'no attempt finished'
  while (performance.now() - started < windowMs) {
    const sid = ctx.newSid()
    try {
      await instance.store.set(sid, ctx.session(sid, { probe: true }))
      const back = (await instance.store.get(sid)) as Record<string, unknown> | null | undefined
      if (back?.probe === true) return performance.now() - started
      last = `get() after set() gave ${describeValue(back, 80)}`
    } catch (error) {
      last = messageOf(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return fail(`the same store instance did not work again within ${seconds(windowMs)} after ${what}: ${last}`, {
    expected: 'set() and get() work again once the backend answers, without recreating the store',
    actual: last,
  })
}

/** A session written before the fault, read back after it: undefined when it is intact. */
export async function lostBeforeFault(instance: FaultableInstance, sid: string): Promise<string | undefined> {
  const back = (await instance.store.get(sid).catch((error: unknown) => ({ error: messageOf(error) }))) as
    | Record<string, unknown>
    | null
    | undefined
  if (back && back.before === 'fault') return undefined
  return `the session written (and acknowledged) before the fault reads back as ${describeValue(back, 80)}`
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
