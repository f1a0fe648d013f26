import { redactCredentials } from './redact.js'

/**
 * The longest text a report carries from a store or a backend (a message, an error, a value):
 * longer text is cut, and the cut says how much was dropped. Reports stay readable and a store
 * cannot make one huge.
 */
export const MAX_REPORT_TEXT = 2000

/** How many entries of a repeated finding (stray errors, blocks) a scope keeps; the rest are counted. */
export const MAX_KEPT_ENTRIES = 5

/**
 * `text` as a report may carry it: credentials in URLs redacted, cut to `max` characters with a
 * note of how many more there were.
 */
export function boundText(text: string, max = MAX_REPORT_TEXT): string {
  const cut = text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`
  return redactCredentials(cut)
}

/**
 * A list that keeps its first `limit` entries and counts the rest, so a store that misbehaves a
 * million times costs a counter, not a million entries.
 */
export class BoundedList<T> {
  readonly kept: T[] = []
  total = 0

  constructor(readonly limit = MAX_KEPT_ENTRIES) {}

  push(entry: T): void {
    this.total += 1
    if (this.kept.length < this.limit) this.kept.push(entry)
  }

  get dropped(): number {
    return this.total - this.kept.length
  }

  /** The lists as one: their kept entries in order (up to the limit), every count added up. */
  static merge<T>(lists: readonly (BoundedList<T> | undefined)[]): BoundedList<T> {
    const merged = new BoundedList<T>()
    for (const list of lists) {
      for (const entry of list?.kept ?? []) merged.push(entry)
      merged.total += list ? list.dropped : 0
    }
    return merged
  }
}
