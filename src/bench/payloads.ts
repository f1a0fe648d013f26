import { seededRandom } from './random.js'

/** Session sizes the bench measures: about 256 B, 4 KB and 64 KB of JSON. */
export const PAYLOAD_BYTES = { '256B': 256, '4KB': 4096, '64KB': 65_536 } as const
export type PayloadSize = keyof typeof PAYLOAD_BYTES

/** What express-session's Cookie#toJSON writes; counted in the size, as stores store it. */
const COOKIE_JSON_BYTES =
  JSON.stringify({ originalMaxAge: 3_600_000, expires: new Date(0).toISOString(), httpOnly: true, path: '/' }).length +
  10

/**
 * Application data whose stored JSON (with the cookie) is about `bytes` long: a user, some
 * preferences and a cart that grows to the size. Deterministic for a given seed.
 */
export function sessionData(bytes: number, seed = 1): Record<string, unknown> {
  const random = seededRandom(seed)
  const data: Record<string, unknown> = {
    user: { id: Math.floor(random() * 1e6), name: 'ada lovelace', roles: ['customer'] },
    prefs: { locale: 'en-GB', theme: 'dark' },
    cart: [] as unknown[],
  }
  const cart = data.cart as unknown[]
  const budget = bytes - COOKIE_JSON_BYTES
  while (JSON.stringify(data).length < budget) {
    cart.push({
      sku: `SKU-${Math.floor(random() * 1e8).toString(36)}`,
      qty: 1 + Math.floor(random() * 5),
      note: 'x'.repeat(24),
    })
  }
  // Trim the last item's note so the total lands on the budget, not an item past it.
  const over = JSON.stringify(data).length - budget
  const last = cart.at(-1) as { note: string } | undefined
  if (last && over > 0) last.note = last.note.slice(0, Math.max(0, last.note.length - over))
  return data
}
