import { randomBytes } from 'node:crypto'
import { forEachConcurrently } from '../core/concurrently.js'
import { type CheckDefinition, defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectData, expectedData, expectMissing, expectSession, fail } from '../core/expect.js'
import { isMissError } from '../core/miss.js'
import { outcomeValue } from '../core/runner/store-driver.js'
import { jsonRoundTrip } from '../core/sessions.js'
import { clearTimeout, setImmediate, setTimeout } from '../core/timers.js'
import type { CallOutcome, CheckContext, StoreMethod } from '../core/types.js'

/**
 * Hostile input: session ids and session data an attacker (or a careless custom genid, or user
 * JSON kept in the session) can produce. A store may refuse them with a clean error; it must never
 * hang, crash the app, write outside its namespace, touch other sessions or poison the process.
 */

const HANG_IMPACT = 'express-session holds the response until the store calls back: the request hangs.'

/** What one call came to, as these checks judge it: an answer, a clean refusal, or nothing at all. */
type Answer =
  | { readonly kind: 'answered'; readonly value: unknown }
  | { readonly kind: 'refused'; readonly how: string }
  | { readonly kind: 'silent'; readonly how: string }

/**
 * A callback's arguments as an answer: an error is a clean refusal (ENOENT from get() is a miss,
 * as express-session reads it).
 */
function answerFrom(method: StoreMethod, error: unknown, value: unknown): Answer {
  if (error == null) return { kind: 'answered', value }
  if (method === 'get' && isMissError(error)) return { kind: 'answered', value: undefined }
  return { kind: 'refused', how: `${method}() called back with ${describeValue(error, 100)}` }
}

function answerOf(method: StoreMethod, outcome: CallOutcome, waitedMs: number): Answer {
  if (outcome.kind === 'callback') return answerFrom(method, outcome.error, outcome.value)
  if (outcome.kind === 'threw')
    return { kind: 'refused', how: `${method}() threw ${describeValue(outcome.error, 100)}` }
  return { kind: 'silent', how: `${method}() did not call back within ${waitedMs} ms` }
}

/** One call within the per-call timeout. */
async function ask(ctx: CheckContext, method: StoreMethod, args: unknown[]): Promise<Answer> {
  return answerOf(method, await ctx.store.call(method, args), ctx.callTimeoutMs)
}

/**
 * One call that may take longer than the per-call timeout (megabytes on their way to a backend):
 * a late callback within `patienceMs` still counts as the answer; only silence after it is a hang.
 */
async function askPatiently(
  ctx: CheckContext,
  method: StoreMethod,
  args: unknown[],
  patienceMs: number,
): Promise<Answer> {
  let answered: ((callbackArgs: readonly unknown[]) => void) | undefined
  const late = new Promise<readonly unknown[]>((resolve) => {
    answered = resolve
  })
  // Only the huge session calls patiently: serialising it holds the loop in any store.
  const outcome = await ctx.store.call(method, args, {
    onCallback: (callbackArgs) => answered?.(callbackArgs),
    expectBlocking: true,
  })
  if (outcome.kind !== 'timeout') return answerOf(method, outcome, ctx.callTimeoutMs)
  let giveUp = (_: undefined) => {}
  const gaveUp = new Promise<undefined>((resolve) => {
    giveUp = resolve
  })
  const timer = setTimeout(() => giveUp(undefined), Math.max(0, patienceMs - ctx.callTimeoutMs))
  const callbackArgs = await Promise.race([late, gaveUp])
  clearTimeout(timer)
  if (!callbackArgs) return { kind: 'silent', how: `${method}() did not call back within ${patienceMs} ms` }
  return answerFrom(method, callbackArgs[0], callbackArgs[1])
}

/** Fails on a call that never answered: every hostile input may be refused, none may hang. */
function failIfSilent(answer: Answer, what: string): asserts answer is Exclude<Answer, { kind: 'silent' }> {
  if (answer.kind === 'silent') {
    fail(`${answer.how} ${what}`, {
      expected: 'a callback, with or without an error',
      actual: 'no callback',
      impact: HANG_IMPACT,
    })
  }
}

/** A session id as shown in messages: quoted and escaped (a NUL, a newline), and short. */
const show = (sid: string) => describeValue(sid, 72)

/** A token unique to one check run: it goes into every name the check makes, so anything it wrote can be found. */
const newMarker = () => randomBytes(6).toString('hex')

/** The first finding, and how many more there are. */
function firstOf(findings: readonly string[]): string {
  return findings.length > 1 ? `${findings[0]} (+${findings.length - 1} more)` : (findings[0] as string)
}

/** A set()/get() round trip of an ordinary session, as a step whose failure set.round-trip reports. */
async function ordinaryRoundTrip(ctx: CheckContext, data: Record<string, unknown>): Promise<string> {
  const sid = ctx.newSid()
  await ctx.prerequisite('set.round-trip', 'a round trip of an ordinary session', async () => {
    await ctx.store.set(sid, ctx.session(sid, data))
    expectData(expectSession(await ctx.store.get(sid), 'get() returned nothing after set()'), data, 'data changed')
  })
  return sid
}

/** One set()/get() round trip of an ordinary session: undefined when it worked, else what went wrong. */
async function ordinaryAttempt(ctx: CheckContext, after: string): Promise<string | undefined> {
  const sid = ctx.newSid()
  const set = await ask(ctx, 'set', [sid, ctx.session(sid, { after })])
  failIfSilent(set, `for an ordinary session after ${after}`)
  if (set.kind === 'refused') return set.how
  const read = await ask(ctx, 'get', [sid])
  failIfSilent(read, `for an ordinary session after ${after}`)
  if (read.kind === 'refused') return read.how
  const value = read.value as { after?: unknown } | null | undefined
  return value?.after === after ? undefined : `get() returned ${describeValue(value, 80)}`
}

/** Round trips tried after hostile input before the store counts as broken for good. */
const RECOVERY_ATTEMPTS = 3

/**
 * After hostile input the store must still do its job: an ordinary round trip works at once. One
 * that fails and then works is a request of another user lost (a pooled connection the server
 * closed, handed out once more); one that keeps failing is a store broken until the app restarts.
 */
async function stillWorks(ctx: CheckContext, after: string): Promise<void> {
  const failures: string[] = []
  for (let attempt = 0; attempt < RECOVERY_ATTEMPTS; attempt++) {
    const failure = await ordinaryAttempt(ctx, after)
    if (failure === undefined && failures.length === 0) return
    if (failure === undefined) {
      fail(`after ${after}, the next ordinary round trip failed before the store recovered: ${failures[0]}`, {
        expected: 'set() then get() of an ordinary session works right after',
        actual: `${failures.join('; ')}; then it worked`,
        impact: 'One oversized or hostile session makes the next request of another user fail: its session is lost.',
      })
    }
    failures.push(failure)
  }
  fail(`the store no longer works after ${after}: ${RECOVERY_ATTEMPTS} ordinary round trips failed`, {
    expected: 'set() then get() of an ordinary session works',
    actual: failures.join('; '),
    impact: 'One hostile session breaks the store for every user until the app restarts.',
  })
}

// --- safety.hostile-ids ------------------------------------------------------------------------

/**
 * Ids no express-session genid makes, each built around `base` (a fresh id of the run, then the
 * check's marker): traversal, separators, bytes file systems and protocols refuse, and
 * metacharacters of shells, SQL and glob patterns. express-session only passes an id from a cookie
 * whose signature holds, so a clean refusal is fine; a hang, a crash or damage is not.
 */
type HostileId = (base: string, marker: string, canary: string) => string

const HOSTILE_IDS: readonly { readonly label: string; readonly id: HostileId }[] = [
  { label: 'a leading ../', id: (base) => `../${base}` },
  { label: 'a leading ../../', id: (base) => `../../${base}` },
  { label: '/../../ inside', id: (base) => `${base}/../../${base}-up` },
  { label: 'a /', id: (base) => `${base}/child` },
  { label: 'backslashes ..\\..\\', id: (base) => `..\\..\\${base}` },
  { label: 'a NUL byte', id: (base) => `${base}\u0000.json` },
  { label: 'a 4 KB id', id: (base) => `${base}-${'k'.repeat(4096)}` },
  { label: 'emoji', id: (base) => `${base}-😀🧑🏽‍💻` },
  { label: 'a right-to-left override', id: (base) => `${base}-\u202enosj.exe` },
  { label: 'combining marks', id: (base) => `${base}-e\u0301a\u030an\u0303` },
  { label: 'shell $(…)', id: (base) => `${base}$(id)` },
  { label: 'shell backticks', id: (base) => `${base}\`id\`` },
  { label: 'shell ; | &', id: (base) => `${base};id|id&` },
  { label: "a single quote '", id: (base) => `${base}'` },
  { label: 'a double quote "', id: (base) => `${base}"` },
  { label: 'an SQL comment --', id: (base) => `${base}--` },
  // Where injected, an always-true condition would reach every session the store holds, another
  // app's included: this one reaches only the run's own canary, under the usual key column names.
  ...['sid', 'session_id', 'id'].map((column) => ({
    label: `SQL ' OR ${column} = '<canary>`,
    id: (base: string, _marker: string, canary: string) => `${base}' OR ${column} = '${canary}`,
  })),
  // The table named is no one's: where this is injected, nothing of value can be dropped.
  { label: "SQL '; DROP TABLE …; --", id: (base, marker) => `${base}'; DROP TABLE sc_${marker}; --` },
  { label: 'percent-encoded ../', id: (base) => `%2e%2e%2f${base}` },
  { label: 'a glob *', id: (base) => `${base}*` },
  { label: 'a glob ?', id: (base) => `${base}?` },
  { label: 'a glob [', id: (base) => `${base}[` },
  { label: 'a CR LF', id: (base) => `${base}\r\nX-Injected: 1` },
  { label: 'a space', id: (base) => `${base} x` },
]

interface HostileCase {
  readonly label: string
  /** The run's fresh id the hostile one is built around: names found outside are traced back by it. */
  readonly fresh: string
  readonly sid: string
}

/** Hostile ids handled at once: a slow backend's run stays short, and no connection pool overflows. */
const HOSTILE_CONCURRENCY = 4

/**
 * A session planted before any hostile id and read again after each phase: a store that builds
 * queries or patterns from the id may remove or overwrite every entry it can reach.
 */
class Canary {
  constructor(
    readonly ctx: CheckContext,
    readonly sid: string,
    readonly marker: string,
  ) {}

  async plant(): Promise<void> {
    await this.ctx.store.set(this.sid, this.ctx.session(this.sid, { canary: this.marker }))
  }

  /** What happened to it (`removed`, `changed`, a failed read), or undefined while it is intact. */
  async damage(): Promise<string | undefined> {
    const answer = await ask(this.ctx, 'get', [this.sid])
    failIfSilent(answer, 'for another session, read after the hostile ids')
    if (answer.kind === 'refused') return `made reading another session fail (${answer.how})`
    if ((answer.value as { canary?: unknown } | null | undefined)?.canary === this.marker) return undefined
    return `${answer.value == null ? 'removed' : 'changed'} another session (one planted before)`
  }
}

/**
 * Which hostile call damaged the canary: the calls of that phase replayed one at a time, the
 * canary planted again before each (only on the way to a failure). The canary is left planted.
 */
async function culprit(
  ctx: CheckContext,
  canary: Canary,
  entries: readonly HostileCase[],
  method: 'set' | 'destroy',
): Promise<string> {
  let found = `one of the hostile ${method}() calls (not when they were replayed one at a time)`
  for (const entry of entries) {
    await canary.plant()
    const session = ctx.session(entry.sid, { hostile: entry.label })
    if (method === 'destroy') await ask(ctx, 'set', [entry.sid, session])
    await ask(ctx, method, method === 'set' ? [entry.sid, session] : [entry.sid])
    if ((await canary.damage()) !== undefined) {
      found = `${method}(${show(entry.sid)})`
      break
    }
  }
  await canary.plant()
  return found
}

/** Names outside the namespace that contain `marker`, or a note saying why they cannot be known. */
async function outside(ctx: CheckContext, marker: string): Promise<readonly string[] | string> {
  try {
    return (await ctx.outsideNamespace(marker)) ?? 'the backend cannot be searched for writes outside the namespace'
  } catch (error) {
    return `searching outside the namespace failed (${describeValue(error, 100)})`
  }
}

/** Each name found outside, with the hostile id that wrote it where it can be told. */
function traced(names: readonly string[], cases: readonly HostileCase[]): string {
  return names
    .map((name) => {
      const from = cases.find((entry) => name.includes(entry.fresh))
      return from ? `${name} (from ${show(from.sid)})` : name
    })
    .join(', ')
}

/** `method` on each case, a few at once; the answers in the cases' order. Silence fails the check. */
async function askEach(
  ctx: CheckContext,
  cases: readonly HostileCase[],
  method: StoreMethod,
  args: (entry: HostileCase) => unknown[],
  after = '',
): Promise<Answer[]> {
  const answers: Answer[] = []
  await forEachConcurrently(cases.keys(), HOSTILE_CONCURRENCY, async (index) => {
    const entry = cases[index] as HostileCase
    const answer = await ask(ctx, method, args(entry))
    failIfSilent(answer, `for an id with ${entry.label}${after}`)
    answers[index] = answer
  })
  return answers
}

async function hostileIds(ctx: CheckContext): Promise<void> {
  const marker = newMarker()
  const canary = new Canary(ctx, await ordinaryRoundTrip(ctx, { canary: marker }), marker)
  await ctx.prerequisite('destroy.removes', 'destroy() of an ordinary session', async () => {
    const sid = ctx.newSid()
    await ctx.store.set(sid, ctx.session(sid, { probe: true }))
    await ctx.store.destroy(sid)
    expectMissing(await ctx.store.get(sid), 'the session was still there after destroy() called back')
  })
  const cases: HostileCase[] = HOSTILE_IDS.map(({ label, id }) => {
    const fresh = ctx.newSid()
    return { label, fresh, sid: id(`${fresh}-${marker}`, marker, canary.sid) }
  })
  const findings: string[] = []
  const refused: string[] = []
  try {
    const sets = await askEach(ctx, cases, 'set', (entry) => [
      entry.sid,
      ctx.session(entry.sid, { hostile: entry.label }),
    ])
    const stored = cases.filter((entry, index) => {
      const answer = sets[index] as Answer
      if (answer.kind === 'refused') refused.push(`${entry.label} (${answer.how})`)
      return answer.kind === 'answered'
    })
    const setDamage = await canary.damage()
    if (setDamage !== undefined) findings.push(`${await culprit(ctx, canary, stored, 'set')} ${setDamage}`)

    // Before any destroy: a store that wrote outside its namespace usually removes it again on destroy.
    const written = await outside(ctx, marker)
    if (typeof written === 'string') ctx.note(written)
    else if (written.length > 0) findings.push(`set() wrote outside the store's namespace: ${traced(written, cases)}`)

    const gets = await askEach(ctx, stored, 'get', (entry) => [entry.sid])
    for (const [index, entry] of stored.entries()) {
      const answer = gets[index] as Answer
      if (answer.kind === 'refused') {
        refused.push(`${entry.label} (stored, then ${answer.how})`)
        continue
      }
      const value = answer.kind === 'answered' ? answer.value : undefined
      const hostile = (value as { hostile?: unknown } | null | undefined)?.hostile
      if (value == null) findings.push(`set(${show(entry.sid)}) called back without an error, but get() found nothing`)
      else if (hostile !== entry.label)
        findings.push(`get(${show(entry.sid)}) returned another id's session (${describeValue(hostile, 60)})`)
    }

    const destroys = await askEach(ctx, stored, 'destroy', (entry) => [entry.sid])
    const destroyDamage = await canary.damage()
    if (destroyDamage !== undefined)
      findings.unshift(`${await culprit(ctx, canary, stored, 'destroy')} ${destroyDamage}`)
    const destroyed = stored.filter((entry, index) => {
      const answer = destroys[index] as Answer
      if (answer.kind === 'refused') refused.push(`${entry.label} (stored, then ${answer.how})`)
      return answer.kind === 'answered'
    })
    const after = await askEach(ctx, destroyed, 'get', (entry) => [entry.sid], ', after destroy()')
    destroyed.forEach((entry, index) => {
      const answer = after[index] as Answer
      if (answer.kind === 'answered' && answer.value != null)
        findings.push(`the session under ${show(entry.sid)} was still there after destroy() called back`)
    })

    const left = await outside(ctx, marker)
    if (typeof left !== 'string' && left.length > 0) {
      const wroteBefore = typeof written !== 'string' && written.length > 0
      findings.push(
        `${wroteBefore ? 'still there after destroy()' : 'written outside the namespace'}: ${traced(left, cases)}`,
      )
    }
  } finally {
    // The hostile ids are not the run's own (it cleans up only those): removed here, whatever happened.
    await Promise.all(cases.map((entry) => ctx.store.call('destroy', [entry.sid]).catch(() => undefined)))
  }
  if (findings.length > 0) {
    fail(firstOf(findings), {
      expected: 'each id stored and read back under itself, or refused with an error; nothing else touched',
      actual: findings.join('; '),
    })
  }
  if (refused.length > 0) ctx.note(`refused with a clean error: ${refused.join('; ')}`)
}

// --- prototype keys ----------------------------------------------------------------------------

/** The built-in prototypes a store's merge or clone could add to, and what they held before. */
const PROTOTYPES: readonly (readonly [string, object])[] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
]

// Captured at load, before any store: a store that patched Reflect cannot hide its own pollution.
const { ownKeys, deleteProperty } = Reflect

type PrototypeKeys = readonly ReadonlySet<PropertyKey>[]

function prototypeKeys(): PrototypeKeys {
  return PROTOTYPES.map(([, target]) => new Set(ownKeys(target)))
}

/**
 * What was added to a built-in prototype since `before`, by name, each removed again at once so
 * that nothing later in the run (another check, express-session itself) runs on a poisoned
 * prototype. Added properties are not the run's "tampered" problem (additions are tolerated), so
 * removing them leaves nothing for that to report twice.
 */
function repairPrototypes(before: PrototypeKeys): string[] {
  const added: string[] = []
  PROTOTYPES.forEach(([name, target], index) => {
    for (const key of ownKeys(target)) {
      if (before[index]?.has(key)) continue
      const removed = deleteProperty(target, key)
      added.push(`${name}.${String(key)}${removed ? '' : ' (could not be removed)'}`)
    }
  })
  return added
}

/**
 * A step that hands the store data with `__proto__` keys, prototypes watched: whatever it added is
 * removed as soon as the step's call answers (and once more a turn later, for a store that merges
 * after calling back) and returned by name.
 */
async function watchingPrototypes(step: () => Promise<unknown>): Promise<string[]> {
  const before = prototypeKeys()
  const probe = ({} as { polluted?: unknown }).polluted
  const added: string[] = []
  try {
    await step()
  } finally {
    added.push(...repairPrototypes(before))
    await new Promise((resolve) => setImmediate(resolve))
    added.push(...repairPrototypes(before))
  }
  if (({} as { polluted?: unknown }).polluted !== probe) added.push('a `polluted` property every object inherits')
  return added
}

/** User JSON as an app keeps it in a session (`req.session.profile = req.body`): `__proto__` is an own key. */
const userJson = (text: string): unknown => JSON.parse(text)

/**
 * Data whose keys name Object.prototype members, nested where express-session keeps them: it drops
 * top-level ones on load (Session copies only keys not `in` it).
 */
function prototypeKeyData(): Record<string, unknown> {
  return {
    profile: userJson(
      '{"__proto__": {"role": "as-data", "tags": ["a"]}, "constructor": {"name": "as-data"}, ' +
        '"prototype": {"kind": "as-data"}, "name": "ada"}',
    ),
    prototype: { hasOwnProperty: 'as-data', toString: 'as-data', valueOf: 1 },
    nested: { level: userJson('{"__proto__": {"deeper": {"__proto__": {"leaf": true}}}, "constructor": "a string"}') },
  }
}

/** Where `actual` lacks or changed what `expected` holds (own keys only: `__proto__` is data here). */
function differences(expected: unknown, actual: unknown, path: string, found: string[]): string[] {
  if (expected === null || typeof expected !== 'object') {
    if (!Object.is(expected, actual)) found.push(`${path} (${describeValue(actual, 40)})`)
    return found
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual) !== Array.isArray(expected)) {
    found.push(`${path} (${describeValue(actual, 40)})`)
    return found
  }
  for (const key of Object.keys(expected)) {
    const next = Array.isArray(expected) ? `${path}[${key}]` : `${path}.${key}`
    if (!Object.hasOwn(actual, key)) found.push(`${next} (missing)`)
    else
      differences(
        Object.getOwnPropertyDescriptor(expected, key)?.value,
        Object.getOwnPropertyDescriptor(actual, key)?.value,
        next,
        found,
      )
  }
  return found
}

/** User JSON that pollutes Object.prototype in a store that merges or assigns it key by key. */
function pollutingData(token: string): Record<string, unknown> {
  const proto = `{"__proto__": {"polluted": "${token}"}}`
  return {
    profile: userJson(`{"__proto__": {"polluted": "${token}"}, "name": "ada"}`),
    form: { answers: userJson(proto) },
    settings: { constructor: { prototype: { polluted: token } } },
    list: [userJson(proto)],
  }
}

// --- deep nesting and huge sessions ------------------------------------------------------------

/**
 * Nesting depths: deep enough that a store recursing through more than one frame per level
 * overflows Node's default stack (structuredClone stops near 2,000 levels), yet within what
 * JSON.stringify itself serialises (about 4,100 levels), so a store that serialises with JSON
 * (MemoryStore) stores them. A JavaScript function's own limit is no fixed number: it grows once
 * the JIT compiles it into smaller frames.
 */
const DEPTHS = [1_000, 3_000] as const

/** Depth of the round trip first made (nested data as such is serialization.nested's). */
const SHALLOW_DEPTH = 32

/** `{ a: { a: … { leaf: depth } } }`, built iteratively. */
function nestedTree(depth: number): Record<string, unknown> {
  let tree: Record<string, unknown> = { leaf: depth }
  for (let level = 0; level < depth; level++) tree = { a: tree }
  return tree
}

/** The first level at which `value` is not nestedTree(depth), iteratively; undefined when it is. */
function treeDifference(value: unknown, depth: number): string | undefined {
  let node = value
  for (let level = 0; level < depth; level++) {
    const keys = node !== null && typeof node === 'object' ? Object.keys(node) : []
    if (keys.length !== 1 || keys[0] !== 'a') return `level ${level} is ${describeValue(keys, 40)} instead of { a }`
    node = (node as { a: unknown }).a
  }
  const leaf = (node as { leaf?: unknown } | null | undefined)?.leaf
  return leaf === depth ? undefined : `the innermost object is ${describeValue(node, 40)}`
}

const MEBIBYTE = 1024 * 1024

/**
 * The huge session's size: past the 16 MiB limits real backends have (MySQL's MEDIUMTEXT column and
 * MariaDB's default max_allowed_packet, a MongoDB document, memcached's 1 MiB item), and serialised
 * by MemoryStore in about 0.1 s. 64 MiB took 0.5–0.9 s each way in one synchronous call, too close
 * to the run's 1 s event-loop limit, and four times the memory in every run of the corpus.
 */
const HUGE_BYTES = 16 * MEBIBYTE

/** Built once per process: the text is the same for every run. */
const texts = new Map<number, string>()

/** `bytes` characters of text, compared whole when read back: a cut or a changed byte anywhere shows. */
function textOf(bytes: number): string {
  let text = texts.get(bytes)
  if (text === undefined) {
    const unit = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_'
    text = unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes)
    texts.set(bytes, text)
  }
  return text
}

/** How long a call with megabytes on the way may take before it counts as a hang. */
const hugePatienceMs = (ctx: CheckContext) => Math.max(ctx.callTimeoutMs, 8_000)

// --- the checks ----------------------------------------------------------------------------------

const checks: readonly Omit<CheckDefinition, 'group'>[] = [
  {
    id: 'safety.hostile-ids',
    level: 'required',
    levelReason: 'a hostile id that escapes the namespace, removes other sessions or hangs is a security hole',
    title:
      'ids with ../, /, \\, NUL, 4 KB, unicode, shell, SQL and glob characters are stored under themselves or ' +
      'refused with an error: no hang, no write outside the namespace, no other session touched',
    impact:
      'A crafted session id (a custom genid, a leaked secret) writes files outside the session directory, deletes ' +
      "every user's session (SQL built by concatenation), or hangs the request.",
    // It may remove every session the store holds (what its canary is for): nothing else may run meanwhile.
    exclusive: true,
    run: hostileIds,
  },
  {
    id: 'safety.prototype-keys-as-data',
    level: 'recommended',
    levelReason: 'only data with keys named __proto__, constructor or prototype (user JSON in the session) is lost',
    title: 'keys named __proto__, constructor and prototype (user JSON kept in the session) round-trip as plain data',
    impact:
      'User-submitted JSON kept in the session loses its __proto__, constructor or prototype keys on the way ' +
      'through the store (a copy that assigns key by key sets the prototype instead).',
    async run(ctx) {
      await ctx.prerequisite('serialization.nested', 'a round trip of nested data with ordinary keys', async () => {
        const sid = ctx.newSid()
        const session = ctx.session(sid, { profile: { role: { kind: 'ordinary' }, name: 'ada' } })
        await ctx.store.set(sid, session)
        const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set()')
        expectData(stored, expectedData(session), 'nested data came back different', { normalize: true })
      })
      const sid = ctx.newSid()
      const session = ctx.session(sid, prototypeKeyData())
      let stored: unknown
      // A store that pollutes with this data is safety.no-prototype-pollution's finding: repaired after
      // each call (other checks run meanwhile), not judged.
      const polluted = await watchingPrototypes(() => ctx.store.set(sid, session))
      polluted.push(
        ...(await watchingPrototypes(async () => {
          stored = await ctx.store.get(sid)
        })),
      )
      if (polluted.length > 0) ctx.note(`the store polluted ${polluted.join(', ')} (see safety.no-prototype-pollution)`)
      const data = expectSession(stored, 'get() returned nothing after set()')
      const expected = jsonRoundTrip(expectedData(session)) as Record<string, unknown>
      const lost: string[] = []
      for (const key of Object.keys(expected)) differences(expected[key], data[key], key, lost)
      if (lost.length > 0) {
        fail(`keys named like Object.prototype members came back missing or changed: ${lost.join(', ')}`, {
          expected: 'every key back with its value, __proto__ as an own key',
          actual: lost.join(', '),
        })
      }
    },
  },
  {
    id: 'safety.no-prototype-pollution',
    level: 'required',
    levelReason: "prototype pollution from session data is a security hole in the app's whole process",
    title: 'session data with __proto__ and constructor.prototype keys never adds properties to Object.prototype',
    impact:
      'User JSON in the session (`{"__proto__": {"isAdmin": true}}`) reaches Object.prototype through a naive ' +
      'merge or clone in the store: every object in the process inherits it (privilege checks, options).',
    // It may poison the process's prototypes until it repairs them: nothing else may run meanwhile.
    exclusive: true,
    async run(ctx) {
      const token = `sc-polluted-${newMarker()}`
      const sid = ctx.newSid()
      const session = ctx.session(sid, pollutingData(token))
      const steps: [StoreMethod, unknown[]][] = [
        ['set', [sid, session]],
        ['get', [sid]],
      ]
      if (ctx.capabilities.touch) steps.push(['touch', [sid, session]])
      const findings: string[] = []
      const refused: string[] = []
      for (const [method, args] of steps) {
        let answer: Answer | undefined
        const added = await watchingPrototypes(async () => {
          answer = await ask(ctx, method, args)
        })
        if (added.length > 0) findings.push(`${method}() added ${added.join(', ')}`)
        if (answer && answer.kind !== 'answered') refused.push(answer.how)
      }
      if (findings.length > 0) {
        fail(`the store polluted the built-in prototypes: ${findings.join('; ')} (removed again by the check)`, {
          expected: 'no new property on Object.prototype, Array.prototype or Function.prototype',
          actual: findings.join('; '),
        })
      }
      // Only pollution is judged here; a refusal or a hang is another check's finding.
      if (refused.length > 0) ctx.note(`not every step was answered: ${refused.join('; ')}`)
    },
  },
  {
    id: 'safety.deep-nesting',
    level: 'required',
    levelReason: 'a stack overflow escaping the store crashes the app; a hang holds the request',
    title:
      `sessions nested ${DEPTHS.join(' and ')} levels deep are stored intact or refused with an error, ` +
      'and the store still works',
    impact:
      'Deeply nested user JSON kept in the session overflows the stack in a recursive clone or merge: an uncaught ' +
      'RangeError crashes the process, or the request hangs.',
    // Alone: a session that comes back different is then this one's doing, not an overloaded store crossing writes.
    exclusive: true,
    async run(ctx) {
      await ordinaryRoundTrip(ctx, { user: 'ada' })
      await ctx.prerequisite(
        'serialization.nested',
        `a round trip of data nested ${SHALLOW_DEPTH} levels deep`,
        async () => {
          const sid = ctx.newSid()
          const session = ctx.session(sid, { tree: nestedTree(SHALLOW_DEPTH) })
          await ctx.store.set(sid, session)
          const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set()')
          const difference = treeDifference(stored.tree, SHALLOW_DEPTH)
          if (difference !== undefined) fail(`nested data came back different: ${difference}`)
        },
      )
      const refused: string[] = []
      for (const depth of DEPTHS) {
        const sid = ctx.newSid()
        const session = ctx.session(sid, { depth })
        // Attached after the session is built: structuredClone (which ctx.session uses) stops near 2,000 levels.
        session.tree = nestedTree(depth)
        const what = `for a session nested ${depth} levels deep`
        const set = await ask(ctx, 'set', [sid, session])
        failIfSilent(set, what)
        if (set.kind === 'refused') {
          refused.push(`${depth} levels (${set.how})`)
          continue
        }
        const read = await ask(ctx, 'get', [sid])
        failIfSilent(read, what)
        if (read.kind === 'refused' || read.value == null) {
          fail(`a session nested ${depth} levels deep was stored (set() called back without an error), then lost`, {
            expected: 'get() returns it',
            actual: read.kind === 'refused' ? read.how : `get() returned ${describeValue(read.value, 40)}`,
          })
        }
        const difference = treeDifference((read.value as { tree?: unknown }).tree, depth)
        if (difference !== undefined)
          fail(`a session nested ${depth} levels deep came back different: ${difference}`, { actual: difference })
        await ask(ctx, 'destroy', [sid])
      }
      await stillWorks(ctx, `sessions nested up to ${DEPTHS.at(-1)} levels deep`)
      if (refused.length > 0) ctx.note(`refused with a clean error: ${refused.join('; ')}`)
    },
  },
  {
    id: 'safety.huge-session',
    level: 'required',
    levelReason: 'a huge session silently cut short loses data; a hang holds the request; a crash takes the app down',
    title:
      `a ${HUGE_BYTES / MEBIBYTE} MiB session is stored intact or refused with an error (never silently cut ` +
      'short), and the store still works',
    impact:
      'A session that grew huge (an upload kept in it, a runaway cart) is silently cut short past a size limit, ' +
      'hangs the request, or leaves the store unusable.',
    // Megabytes serialised on the event loop delay every other check's timers: run alone.
    exclusive: true,
    async run(ctx) {
      // Silent loss at 1 MB and below is serialization.large-payload's finding, not this one's.
      await ctx.prerequisite('serialization.large-payload', 'a round trip of a 1 MiB session', async () => {
        const sid = ctx.newSid()
        const session = ctx.session(sid, { blob: textOf(MEBIBYTE) })
        const outcome = await ctx.store.call('set', [sid, session])
        if (outcome.kind === 'callback' && outcome.error != null) return
        outcomeValue('set', [sid], outcome, ctx.callTimeoutMs)
        const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set() called back')
        if (stored.blob !== textOf(MEBIBYTE)) fail('the 1 MiB session came back different')
        await ctx.store.destroy(sid)
      })
      const label = `${HUGE_BYTES / MEBIBYTE} MiB`
      const sid = ctx.newSid()
      const huge = textOf(HUGE_BYTES)
      const patienceMs = hugePatienceMs(ctx)
      const set = await askPatiently(ctx, 'set', [sid, ctx.session(sid, { blob: huge })], patienceMs)
      failIfSilent(set, `for a ${label} session`)
      if (set.kind === 'answered') {
        const read = await askPatiently(ctx, 'get', [sid], patienceMs)
        failIfSilent(read, `for a ${label} session`)
        const blob = read.kind === 'answered' ? (read.value as { blob?: unknown } | null | undefined)?.blob : undefined
        if (blob !== huge) {
          const got =
            read.kind === 'refused'
              ? read.how
              : read.value == null
                ? 'get() returned nothing'
                : typeof blob === 'string'
                  ? `${blob.length} characters instead of ${huge.length}`
                  : `get() returned ${describeValue(blob, 40)} as the data`
          fail(`set() of a ${label} session called back without an error, but it did not come back intact: ${got}`, {
            expected: 'the session intact, or an error from set()',
            actual: got,
          })
        }
        await askPatiently(ctx, 'destroy', [sid], patienceMs)
      } else {
        ctx.note(`a ${label} session is refused with a clean error: ${set.how}`)
      }
      await stillWorks(ctx, `a ${label} session`)
    },
  },
]

export const safetyChecks = defineGroup('safety', checks)
