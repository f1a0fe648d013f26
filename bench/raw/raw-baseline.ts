import type { StoreCalls } from '../store-calls.js'

/** The expiry every raw baseline writes: long enough that nothing expires during a run. */
export const RAW_TTL_SECONDS = 3600

/**
 * The same backend without the store: the plain operations a store boils down to, each still
 * serialising to JSON and back (any store must). The store's time over this is its overhead.
 */
export interface RawBaseline extends StoreCalls {
  /** What the baseline does, in words (shown in reports). */
  readonly describes: string
  /** Where it writes: its key prefix, schema, table or directory, removed at close. */
  readonly namespace: string
  /** Removes what it wrote (its own namespace) and disconnects. */
  close(): Promise<void>
}

/** A stored JSON text back as a value; a missing one (null, undefined) is a miss. */
export function fromJson(text: string | null | undefined): unknown {
  return text == null ? undefined : JSON.parse(text)
}

/** The expiry as epoch seconds, as the SQL stores write it. */
export function expiresInSeconds(): number {
  return Math.ceil(Date.now() / 1000) + RAW_TTL_SECONDS
}
