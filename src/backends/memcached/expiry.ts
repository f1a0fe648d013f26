import { createHash } from 'node:crypto'
import { ask } from './ask.js'

/**
 * The key the `memcached` client sends for `key`: over 250 characters, its md5 in hex (the
 * client's keyCompression default); undefined for whitespace, which the client refuses to send.
 */
export function keyOnTheWire(key: string): string | undefined {
  if (key.length > 250) return createHash('md5').update(key).digest('hex')
  return /\s/.test(key) ? undefined : key
}

/**
 * When memcached will drop `key`, asked with the meta command `mg <key> t` on a socket of its own:
 * `HD t<seconds left>` (t-1: no expiry) or `EN` (a miss). Undefined for a miss, and for a server
 * without meta commands (before 1.6 it answers ERROR) or a key it refuses (CLIENT_ERROR).
 */
export async function memcachedExpiry(host: string, key: string, timeoutMs = 5000): Promise<number | null | undefined> {
  const wire = keyOnTheWire(key)
  if (wire === undefined) return undefined
  const reply = await ask(host, `mg ${wire} t`, /\r\n/, timeoutMs)
  const seconds = /^HD\b[^\r]*\bt(-?\d+)/.exec(reply)?.[1]
  if (seconds === undefined) return undefined
  return seconds === '-1' ? null : Date.now() + Number(seconds) * 1000
}
