import { defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { fail } from '../core/expect.js'
import type { CallOptions, CallOutcome, CheckContext, StoreDriver, StoreMethod } from '../core/types.js'

interface MethodCall {
  readonly label: string
  readonly method: StoreMethod
  readonly args: unknown[]
}

/**
 * One call of every method the store has, each on its own ids, in the situations express-session
 * creates: a hit and a miss for get, a new id for set, an existing one for touch and destroy.
 * clear() is left out: it is destructive and has a check of its own.
 */
async function everyMethod(ctx: CheckContext, store: StoreDriver): Promise<MethodCall[]> {
  const hit = ctx.newSid()
  const existing = ctx.newSid()
  await store.set(hit, ctx.session(hit, { n: 1 }))
  await store.set(existing, ctx.session(existing, { n: 2 }))
  const fresh = ctx.newSid()
  const calls: MethodCall[] = [
    { label: 'get (hit)', method: 'get', args: [hit] },
    { label: 'get (miss)', method: 'get', args: [ctx.newSid()] },
    { label: 'set', method: 'set', args: [fresh, ctx.session(fresh, { n: 3 })] },
  ]
  if (ctx.capabilities.touch) calls.push({ label: 'touch', method: 'touch', args: [hit, ctx.session(hit, { n: 1 })] })
  if (ctx.capabilities.length) calls.push({ label: 'length', method: 'length', args: [] })
  if (ctx.capabilities.all) calls.push({ label: 'all', method: 'all', args: [] })
  calls.push({ label: 'destroy', method: 'destroy', args: [existing] })
  return calls
}

/**
 * Calls every method at once (as concurrent requests do) and waits a little after the last
 * answer, so a second callback has time to show.
 */
async function callEach(
  ctx: CheckContext,
  optionsFor: () => CallOptions = () => ({}),
  store: StoreDriver = ctx.store,
): Promise<{ call: MethodCall; outcome: CallOutcome }[]> {
  const calls = await everyMethod(ctx, store)
  const outcomes = await Promise.all(
    calls.map(async (call) => ({ call, outcome: await store.call(call.method, call.args, optionsFor()) })),
  )
  await new Promise((resolve) => setTimeout(resolve, Math.min(100, ctx.callTimeoutMs)))
  return outcomes
}

/** The first finding, and how many more there are (the full list goes in `actual`). */
function summarise(findings: readonly string[]): string {
  return findings.length > 1 ? `${findings[0]} (+${findings.length - 1} more)` : (findings[0] as string)
}

/** Fails with the first finding (and how many more), all of them as `actual`; passes when there are none. */
function failOnFindings(findings: readonly string[], expected: string, prefix = ''): void {
  if (findings.length > 0) fail(`${prefix}${summarise(findings)}`, { expected, actual: findings.join('; ') })
}

/**
 * The callback contract. Each check looks at one rule and ignores the others' failures (a hang
 * belongs to callbacks.timely, a throw to callbacks.no-sync-throw), so one defect is one failure.
 */
export const callbackChecks = defineGroup('callbacks', [
  {
    id: 'callbacks.exactly-once',
    level: 'required',
    levelReason: 'a second callback ends the response twice or crashes the app',
    title: 'every method calls its callback exactly once',
    impact:
      'A second callback makes express-session end the response twice or call next() after it ended: "Cannot set ' +
      'headers after they are sent", or a crash.',
    collectsDoubleCallbacks: true,
    async run(ctx) {
      const repeated = (await callEach(ctx))
        .filter(({ outcome }) => outcome.kind === 'callback' && outcome.calls() > 1)
        .map(
          ({ call, outcome }) =>
            `${call.label} called back ${outcome.kind === 'callback' ? outcome.calls() : '?'} times`,
        )
      failOnFindings(repeated, 'one callback per call')
    },
  },
  {
    id: 'callbacks.callback-throws',
    // express-session's own callbacks do not throw in practice: a deviation, not a broken contract.
    level: 'recommended',
    levelReason: 'express-session’s own callbacks do not throw; only an app’s code in a callback does',
    title: 'when the callback itself throws, the store does not call it a second time',
    impact:
      'A try/catch around the callback turns an application error into a second callback with that error: ' +
      'express-session responds twice.',
    misbehaves: true,
    async run(ctx) {
      const sentinel = new Error('store-conformance: this callback throws on purpose')
      ctx.expectError(sentinel)
      // An instance of its own where the factory can make one: a client that retries the request
      // after the throw, or wedges, harms only it. Each callback throws once, so a retry loop ends.
      const own = await ctx.ownInstance()
      if (!own) ctx.note('ran on the shared instance, last and alone: the factory cannot make a second one')
      const throwOnce = (): CallOptions => {
        let thrown = false
        return {
          onCallback: () => {
            if (thrown) return
            thrown = true
            throw sentinel
          },
        }
      }
      const repeated = (await callEach(ctx, throwOnce, own?.store))
        .filter(({ outcome }) => outcome.kind === 'callback' && outcome.calls() > 1)
        .map(({ call, outcome }) => {
          const error = outcome.kind === 'callback' ? outcome.lastArgs()[0] : undefined
          return `${call.label}${error ? ` (again with ${describeValue(error, 60)})` : ''}`
        })
      const prefix = `${repeated.length} method(s) called back a second time after the callback threw: `
      failOnFindings(repeated, 'the thrown error propagates; no second callback', prefix)
    },
  },
  {
    id: 'callbacks.no-sync-throw',
    level: 'required',
    levelReason: 'a synchronous throw fails the request or crashes the app',
    title: 'no method throws synchronously: errors go to the callback',
    impact:
      'A synchronous throw escapes into express-session and the request fails with a 500, or the process crashes.',
    async run(ctx) {
      const thrown = (await callEach(ctx))
        .filter(({ outcome }) => outcome.kind === 'threw')
        .map(
          ({ call, outcome }) =>
            `${call.label} threw ${outcome.kind === 'threw' ? describeValue(outcome.error, 80) : ''}`,
        )
      failOnFindings(thrown, 'errors passed to the callback')
    },
  },
  {
    id: 'callbacks.timely',
    level: 'required',
    levelReason: 'a callback that never comes hangs the request',
    title: 'every method calls back within the per-call timeout',
    impact:
      'express-session holds the response until the store calls back: the request hangs (expressjs/session#572, ' +
      'connect-redis#373).',
    async run(ctx) {
      const slow = (await callEach(ctx))
        .filter(({ outcome }) => outcome.kind === 'timeout')
        .map(({ call }) => `${call.label} did not call back within ${ctx.callTimeoutMs} ms`)
      failOnFindings(slow, `a callback within ${ctx.callTimeoutMs} ms`)
    },
  },
])
