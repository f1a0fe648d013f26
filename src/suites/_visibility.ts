import { describeValue } from '../core/errors.js'
import { fail } from '../core/expect.js'
import { outcomeValue } from '../core/runner/store-driver.js'
import type { CheckContext, StoreDriver, StoreMethod } from '../core/types.js'

/** How long after its callback a call's effect is still looked for: later than this, it never came. */
export const LATE_EFFECT_MS = 500

/** Rounds: enough that a store calling back before its write lands shows it every run. */
export const VISIBILITY_ROUNDS = 16
const BATCH = 4

/** The least time a write gets to show through another connection before the instances count as unshared. */
const SHARING_PROBE_MS = 1000

/** Whether the run's second instance sees the first one's sessions: asked once per store. */
const sharing = new WeakMap<object, Promise<boolean>>()

/**
 * Who reads back what a call did: a second instance from the same factory (another connection,
 * as another app process would read), when it sees the same data; the store itself otherwise
 * (an in-process store whose instances share nothing).
 */
export async function independentReader(ctx: CheckContext): Promise<StoreDriver> {
  const reader = await ctx.reader()
  if (!reader) {
    ctx.note('read back through the same instance: the factory cannot make a second one')
    return ctx.store
  }
  let shared = sharing.get(ctx.raw)
  if (!shared) {
    const sid = ctx.newSid()
    // Usually at once; a write-behind store shows it later, which still means shared (and is then
    // set.visible-on-callback's finding): only a write that never shows means separate instances.
    shared = ctx.store.set(sid, ctx.session(sid, { probe: 'shared' })).then(() =>
      eventually(
        () => peek(reader, sid),
        // The probe's own data: a store that invents a session for an unknown id shares nothing by that.
        (value) => (value as { probe?: unknown } | undefined)?.probe === 'shared',
        Math.max(SHARING_PROBE_MS, ctx.callTimeoutMs),
      ),
    )
    sharing.set(ctx.raw, shared)
  }
  if (await shared) return reader
  ctx.note('read back through the same instance: a second instance does not see the first one’s sessions')
  return ctx.store
}

/**
 * What a reader holds for `sid`: the session, or undefined for a miss, an error or no answer.
 * Whether get() answers properly is other checks' business; here only what it shows counts.
 */
export async function peek(reader: StoreDriver, sid: string): Promise<unknown> {
  const outcome = await reader.call('get', [sid])
  return outcome.kind === 'callback' && outcome.error == null ? (outcome.value ?? undefined) : undefined
}

/** Whether `reader` comes to hold a session for `sid` (with `present` false: to hold none) in LATE_EFFECT_MS. */
export function comesTo(reader: StoreDriver, sid: string, present: boolean): Promise<boolean> {
  return eventually(
    () => peek(reader, sid),
    (value) => (value != null) === present,
    LATE_EFFECT_MS,
  )
}

/** Polls `read` until `done` holds or `withinMs` passes; whether it came to hold. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs: number) {
  const deadline = Date.now() + withinMs
  for (;;) {
    if (done(await read())) return true
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Runs `rounds` of "call, then read at once": a round whose effect was not visible when the call
 * called back, but became visible a moment later, proves the callback came early. An effect that
 * never shows is another check's finding (destroy.removes, set.round-trip), not this one's.
 */
export async function expectVisibleOnCallback(
  what: string,
  round: () => Promise<{ visibleNow: boolean; visibleLater: () => Promise<boolean>; seen: unknown }>,
): Promise<void> {
  // In small batches: a stall of the machine spoils one batch's timing, not every round's.
  const outcomes = []
  for (let done = 0; done < VISIBILITY_ROUNDS; done += BATCH)
    outcomes.push(...(await Promise.all(Array.from({ length: BATCH }, round))))
  const early: unknown[] = []
  for (const outcome of outcomes) {
    if (!outcome.visibleNow && (await outcome.visibleLater())) early.push(outcome.seen)
  }
  if (early.length > 0) {
    fail(`${early.length} of ${VISIBILITY_ROUNDS} times, ${what} called back before its effect was visible`, {
      expected: 'the effect visible to any reader once the callback runs',
      actual: `right after the callback a reader saw ${describeValue(early[0], 120)}; moments later it changed`,
    })
  }
}

/**
 * Calls `method` and starts `read` inside its callback, the moment its effect must be visible:
 * nothing the store queued after calling back has had a turn yet. Fails as the driver does when
 * the call itself goes wrong (an error, no callback).
 */
export async function readOnCallback<T>(
  ctx: CheckContext,
  method: StoreMethod,
  args: unknown[],
  read: () => Promise<T>,
): Promise<T> {
  let reading: Promise<T> | undefined
  const outcome = await ctx.store.call(method, args, {
    onCallback: () => {
      reading ??= read()
    },
  })
  outcomeValue(method, args, outcome, ctx.callTimeoutMs)
  return reading as Promise<T>
}
