import { type CheckDefinition, defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectData, expectedData, expectSession, fail } from '../core/expect.js'
import { COOKIE_KEYS } from '../core/sessions.js'
import type { CheckContext, Level } from '../core/types.js'

const CONTROL_CHARACTERS = `${Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('')}\u007f`

function deeplyNested(depth: number): unknown {
  let value: unknown = { leaf: true }
  for (let i = 0; i < depth; i++) value = { level: depth - i, child: value, list: [i] }
  return value
}

/** Round-trip cases as data: each becomes one check that sets the data and expects it back. */
const roundTripCases: readonly {
  id: string
  level: Level
  levelReason: string
  title: string
  data: Record<string, unknown>
}[] = [
  {
    id: 'serialization.nested',
    level: 'required',
    levelReason: 'session data comes back different: user data is lost or corrupted',
    title: 'nested objects and arrays round-trip',
    data: {
      user: { id: 42, roles: ['admin', 'dev'], profile: { address: { city: 'Zürich', geo: [47.37, 8.54] } } },
      matrix: [
        [1, 2],
        [3, [4, [5]]],
      ],
      deep: deeplyNested(24),
      records: Array.from({ length: 50 }, (_, i) => ({ i, even: i % 2 === 0 })),
    },
  },
  {
    id: 'serialization.unicode',
    level: 'required',
    levelReason: 'session data comes back different: user data is lost or corrupted',
    title: 'unicode round-trips: astral plane, combining marks, right-to-left and zero-width characters',
    data: {
      astral: '😀 🧑🏽‍💻 𝕏 𠜎',
      combining: 'e\u0301 a\u030a n\u0303 \u1e9b\u0323',
      rtl: 'שלום مرحبا \u202etext\u202c',
      zeroWidth: 'a\u200bb\u200cc\u200dd\ufeffe',
      scripts: '漢字 かな カナ 한국어 Ελληνικά кириллица',
      keys: { ключ: 'значение', '🔑': 'v', ü: 1 },
    },
  },
  {
    id: 'serialization.special-characters',
    level: 'required',
    levelReason: 'session data comes back different: user data is lost or corrupted',
    title: 'quotes, backslashes, control characters and JSON- or HTML-looking text round-trip',
    data: {
      quotes: `"double" 'single' \`back\``,
      backslashes: 'C:\\path\\to\\file \\\\server\\share \\u0041',
      control: CONTROL_CHARACTERS,
      lineSeparators: 'a\u2028b\u2029c',
      json: '{"looks":"like json"}',
      html: '<script>alert(1)</script> &amp; </textarea>',
      sql: "'; DROP TABLE sessions; --",
    },
  },
  {
    id: 'serialization.numbers',
    level: 'required',
    levelReason: 'session data comes back different: user data is lost or corrupted',
    title: 'numbers at the edges round-trip exactly',
    data: {
      maxSafe: Number.MAX_SAFE_INTEGER,
      minSafe: Number.MIN_SAFE_INTEGER,
      max: Number.MAX_VALUE,
      minPositive: Number.MIN_VALUE,
      epsilon: Number.EPSILON,
      fraction: 0.1 + 0.2,
      negative: -1.5,
      zero: 0,
      bigExponent: 1e21,
      smallExponent: 1e-7,
    },
  },
  {
    id: 'serialization.scalars',
    level: 'required',
    levelReason: 'session data comes back different: user data is lost or corrupted',
    title: 'booleans, null, empty strings and empty containers round-trip',
    data: {
      yes: true,
      no: false,
      nothing: null,
      empty: '',
      emptyObject: {},
      emptyArray: [],
      nulls: [null, null],
      nestedEmpty: { a: {}, b: [] },
    },
  },
  {
    id: 'serialization.special-keys',
    level: 'required',
    levelReason: 'session data comes back different: user data is lost or corrupted',
    title: 'keys with dots, dollar signs, spaces, digits or nothing at all round-trip',
    data: {
      'a.b': 1,
      $set: 2,
      $where: 'x',
      ' spaced key ': 3,
      '': 'empty key',
      '123': 'numeric',
      nested: { 'x.y': { $z: true } },
    },
  },
]

function roundTripCheck(entry: (typeof roundTripCases)[number]): Omit<CheckDefinition, 'group'> {
  return {
    id: entry.id,
    level: entry.level,
    levelReason: entry.levelReason,
    title: entry.title,
    impact: 'Session data comes back different from what the application stored.',
    async run(ctx) {
      const sid = ctx.newSid()
      const session = ctx.session(sid, entry.data)
      await ctx.store.set(sid, session)
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set()')
      // These cases hold only JSON-safe data, so JSON-normalising the answer hides nothing but representation.
      expectData(stored, expectedData(session), 'the data changed in the round trip', { normalize: true })
    },
  }
}

const KILOBYTE = 1024

/** Payloads by size, built once per process: a megabyte of text costs CPU every run would pay again. */
const payloads = new Map<number, Record<string, unknown>>()

/** A payload of about `bytes`: text that compresses badly, and structure. */
function payloadOf(bytes: number): Record<string, unknown> {
  const built = payloads.get(bytes)
  if (built) return built
  const payload = buildPayload(bytes)
  payloads.set(bytes, payload)
  return payload
}

function buildPayload(bytes: number): Record<string, unknown> {
  let text = ''
  for (let i = 0; text.length < bytes; i++) text += `${i.toString(36)}:${((i * 2654435761) % 4294967296).toString(16)};`
  const items = Math.round(bytes / 1024)
  return { blob: text.slice(0, bytes), items: Array.from({ length: items }, (_, i) => ({ i, label: `item-${i}` })) }
}

/** Sizes real sessions reach (a big cart, a multi-step form) and the limits real columns had (64 KB TEXT). */
const PAYLOAD_SIZES: readonly { label: string; bytes: number; mayReject: boolean }[] = [
  { label: '100 KB', bytes: 100 * KILOBYTE, mayReject: false },
  { label: '256 KB', bytes: 256 * KILOBYTE, mayReject: false },
  { label: '1 MB', bytes: 1024 * KILOBYTE, mayReject: true },
]

type PayloadOutcome = { label: string; mayReject: boolean } & (
  | { kind: 'intact' }
  | { kind: 'rejected'; error: string }
  | { kind: 'lost' }
  | { kind: 'changed'; failure: unknown }
)

/** Sets one large session and says what came back. */
async function storePayload(ctx: CheckContext, size: (typeof PAYLOAD_SIZES)[number]): Promise<PayloadOutcome> {
  const { label, mayReject } = size
  const sid = ctx.newSid()
  const session = ctx.session(sid, payloadOf(size.bytes))
  const outcome = await ctx.store.call('set', [sid, session])
  if (outcome.kind === 'callback' && outcome.error != null)
    return { label, mayReject, kind: 'rejected', error: describeValue(outcome.error, 100) }
  if (outcome.kind !== 'callback') await ctx.store.set(sid, session)
  const stored = await ctx.store.get(sid)
  if (stored == null) return { label, mayReject, kind: 'lost' }
  try {
    expectData(stored as Record<string, unknown>, expectedData(session), 'changed', { normalize: true })
    return { label, mayReject, kind: 'intact' }
  } catch (failure) {
    return { label, mayReject, kind: 'changed', failure }
  }
}

/** Every size, one at a time (a megabyte each way is enough at once on a small backend). */
async function storePayloads(ctx: CheckContext, sizes = PAYLOAD_SIZES): Promise<PayloadOutcome[]> {
  const outcomes: PayloadOutcome[] = []
  for (const size of sizes) outcomes.push(await storePayload(ctx, size))
  return outcomes
}

async function unexpectedKeys(ctx: CheckContext, sid: string, data: Record<string, unknown>): Promise<string[]> {
  const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set()')
  const extra = Object.keys(stored).filter((key) => key !== 'cookie' && !(key in data))
  const cookie = stored.cookie && typeof stored.cookie === 'object' ? Object.keys(stored.cookie) : []
  return extra.concat(cookie.filter((key) => !COOKIE_KEYS.has(key)).map((key) => `cookie.${key}`))
}

export const serializationChecks = defineGroup('serialization', [
  ...roundTripCases.map(roundTripCheck),
  {
    id: 'serialization.json-semantics',
    level: 'recommended',
    levelReason: 'nothing is lost: code tested on MemoryStore sees other types',
    title: 'values come back as JSON gives them back: Dates as ISO strings, undefined dropped (as MemoryStore does)',
    impact:
      'Code written and tested against MemoryStore sees other types in production (a Date instead of a string, ' +
      'undefined keys kept).',
    async run(ctx) {
      const sid = ctx.newSid()
      const session = ctx.session(sid, {
        when: new Date('2020-02-29T12:34:56.789Z'),
        missing: undefined,
        list: [1, undefined, 3],
        negativeZero: -0,
        notANumber: Number.NaN,
        infinite: Number.POSITIVE_INFINITY,
      })
      await ctx.store.set(sid, session)
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set()')
      expectData(stored, expectedData(session), 'the store does not give JSON semantics', { forbid: ['missing'] })
    },
  },
  {
    id: 'serialization.large-payload',
    level: 'required',
    levelReason: 'a session silently cut short or dropped loses user data with no error anywhere',
    title: 'sessions of 100 KB, 256 KB and 1 MB are never silently truncated or dropped (a clean error is allowed)',
    impact:
      'Large sessions are silently lost or cut short (a 64 KB TEXT column, MySQL without strict mode): users ' +
      'lose carts or form state without any error.',
    async run(ctx) {
      for (const outcome of await storePayloads(ctx)) {
        if (outcome.kind === 'lost') {
          fail(`set() of a ${outcome.label} session succeeded but get() returned nothing`, {
            expected: 'the session, or an error from set()',
            actual: 'nothing, silently',
          })
        }
        if (outcome.kind === 'changed') {
          const failure = outcome.failure as { message?: string; expected?: string; actual?: string }
          fail(`a ${outcome.label} session came back different: ${failure.message ?? ''}`, {
            expected: failure.expected,
            actual: failure.actual,
          })
        }
        if (outcome.kind === 'rejected' && outcome.mayReject)
          ctx.note(`set() rejects ${outcome.label} sessions with an error: ${outcome.error}`)
      }
    },
  },
  {
    id: 'serialization.medium-payload',
    level: 'recommended',
    levelReason: 'the error is clean (nothing silently lost), and such sessions are rare',
    title: 'sessions of 100 KB and 256 KB are stored (no error) and round-trip exactly',
    impact:
      'Users with a big cart or a long multi-step form lose their session with an error: real stores changed ' +
      'their column type because users hit the limit.',
    async run(ctx) {
      const rejected = (
        await storePayloads(
          ctx,
          PAYLOAD_SIZES.filter((size) => !size.mayReject),
        )
      ).filter((outcome) => outcome.kind === 'rejected')
      const [first] = rejected
      if (first?.kind === 'rejected') {
        fail(`set() of a ${first.label} session called back with an error: ${first.error}`, {
          expected: 'the session stored',
          actual: `${rejected.map((outcome) => outcome.label).join(', ')} rejected`,
        })
      }
      // Lost or changed ones are serialization.large-payload's (required) finding.
    },
  },
  {
    id: 'serialization.no-bookkeeping-leak',
    level: 'recommended',
    levelReason: 'extra fields appear in req.session; nothing the app stored is lost',
    title: 'the returned session holds only what was stored: no bookkeeping fields (lastModified, __lastAccess, id)',
    impact:
      "Store fields appear in req.session, get saved back as application data, and can collide with the app's own " +
      'keys.',
    async run(ctx) {
      const sid = ctx.newSid()
      const data = { user: 'ada' }
      await ctx.store.set(sid, ctx.session(sid, data))
      const extra = await unexpectedKeys(ctx, sid, data)
      if (extra.length > 0)
        fail(`get() returned fields that were never stored: ${extra.join(', ')}`, {
          expected: 'user, cookie',
          actual: extra.join(', '),
        })
    },
  },
  {
    id: 'serialization.plain-json-input',
    level: 'optional',
    levelReason: 'express-session always passes a Session; only scripts and tests pass plain objects',
    title: 'a plain JSON object (not a Session, as tests and scripts pass) can be set and read back',
    impact:
      'Scripts and tests that call store.set() with plain objects fail, although express-session itself always ' +
      'passes a Session.',
    async run(ctx) {
      const sid = ctx.newSid()
      const plain = {
        cookie: {
          originalMaxAge: 3_600_000,
          expires: new Date(Date.now() + 3_600_000).toISOString(),
          httpOnly: true,
          path: '/',
        },
        user: 'ada',
      }
      await ctx.store.set(sid, plain)
      const stored = expectSession(await ctx.store.get(sid), 'get() returned nothing after set() with a plain object')
      expectData(stored, { user: 'ada' }, 'a plain object came back different', { normalize: true })
    },
  },
])
