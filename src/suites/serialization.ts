import { type CheckDefinition, defineGroup } from '../core/define-check.js'
import { describeValue } from '../core/errors.js'
import { expectData, expectedData, expectSession, fail } from '../core/expect.js'
import type { CheckContext, Level } from '../core/types.js'

const CONTROL_CHARACTERS = `${Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('')}\u007f`

function deeplyNested(depth: number): unknown {
  let value: unknown = { leaf: true }
  for (let i = 0; i < depth; i++) value = { level: depth - i, child: value, list: [i] }
  return value
}

/** Round-trip cases as data: each becomes one check that sets the data and expects it back. */
const roundTripCases: readonly { id: string; level: Level; title: string; data: Record<string, unknown> }[] = [
  {
    id: 'serialization.nested',
    level: 'required',
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

const MEGABYTE = 1024 * 1024

/** Cookie fields express-session itself writes (Cookie#toJSON, or the raw object for non-JSON serializers). */
const COOKIE_KEYS = new Set([
  'originalMaxAge',
  'partitioned',
  'priority',
  'expires',
  '_expires',
  'secure',
  'httpOnly',
  'domain',
  'path',
  'sameSite',
])

/** Payload of about 1 MB: a mix of text that compresses badly and structure. */
function largePayload(): Record<string, unknown> {
  let text = ''
  for (let i = 0; text.length < MEGABYTE; i++)
    text += `${i.toString(36)}:${((i * 2654435761) % 4294967296).toString(16)};`
  return { blob: text.slice(0, MEGABYTE), items: Array.from({ length: 1000 }, (_, i) => ({ i, label: `item-${i}` })) }
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
    level: 'recommended',
    title: 'a 1 MB session round-trips intact, or set() fails with an error; it is never truncated or silently dropped',
    impact: 'Large sessions are silently lost or cut short: users lose carts or form state without any error.',
    async run(ctx) {
      const sid = ctx.newSid()
      const session = ctx.session(sid, largePayload())
      const outcome = await ctx.store.call('set', [sid, session])
      if (outcome.kind === 'callback' && outcome.error != null) {
        ctx.note(`set() rejects 1 MB sessions with an error: ${describeValue(outcome.error, 100)}`)
        return
      }
      if (outcome.kind !== 'callback') await ctx.store.set(sid, session)
      const stored = await ctx.store.get(sid)
      if (stored == null)
        fail('set() of a 1 MB session succeeded but get() returned nothing', {
          expected: 'the session, or an error from set()',
          actual: 'nothing, silently',
        })
      expectData(stored as Record<string, unknown>, expectedData(session), 'a 1 MB session came back different', {
        normalize: true,
      })
    },
  },
  {
    id: 'serialization.no-bookkeeping-leak',
    level: 'recommended',
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
