import type { OpenedStore } from './types.js'

/** The expiry every raw baseline writes: long enough that nothing expires during a run. */
export const RAW_TTL_SECONDS = 3600

/** A stored JSON text back as a value; a missing one (null, undefined) is a miss. */
export function fromJson(text: string | null | undefined): unknown {
  return text == null ? undefined : JSON.parse(text)
}

/** The expiry as epoch seconds, as the SQL stores write it. */
export function expiresInSeconds(): number {
  return Math.ceil(Date.now() / 1000) + RAW_TTL_SECONDS
}

/** The server a store was opened on: where its raw baseline goes too. */
export function serverUrl(opened: OpenedStore): string {
  if (!opened.backend) throw new Error('this store has no backend to measure a raw baseline on')
  return opened.backend.url
}
