import { createHmac } from 'node:crypto'

/**
 * The child's reports travel on a pipe of their own (fd 3), one line each:
 * `<sequence> <hmac> <json>`. The HMAC key comes from the parent before the store module loads and
 * lives only in a closure, so a store that intercepts, rewrites, reorders, replays or invents a
 * line cannot make it verify: the parent counts it as a protocol violation and the run fails.
 * Node's own IPC channel is not used: a store could rewrite what it sends (`process._send`), and
 * a line of garbage on it throws inside the parent.
 */

/** The fd the child writes its reports to. */
export const REPORT_FD = 3

/** A line longer than this is not a report of ours: a whole run report is a few hundred kB. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024

// Captured when this module loads, before any store: patching them later changes nothing here.
const hmac = createHmac
const stringify = JSON.stringify
const parse = JSON.parse

function sign(key: string, sequence: number, json: string): string {
  return hmac('sha256', key).update(`${sequence}\n${json}`).digest('hex')
}

/** The child's side: each message as one signed line. */
export function signer(key: string): (message: unknown) => string {
  let sequence = 0
  return (message) => {
    sequence += 1
    const json = stringify(message)
    return `${sequence} ${sign(key, sequence, json)} ${json}\n`
  }
}

/** The parent's side: a line → the message, or why it is not one. */
export function verifier(key: string): (line: string) => { message: unknown } | { error: string } {
  let expected = 1
  return (line) => {
    const match = /^(\d+) ([0-9a-f]{64}) (.*)$/s.exec(line)
    if (!match) return { error: 'a line that is not a signed report arrived on the report pipe' }
    const [, sequence = '', mac = '', json = ''] = match
    if (sign(key, Number(sequence), json) !== mac) return { error: 'a report whose signature does not verify arrived' }
    if (Number(sequence) !== expected) return { error: `report ${sequence} arrived where ${expected} was due` }
    expected += 1
    try {
      return { message: parse(json) }
    } catch {
      return { error: 'a signed report that is not JSON arrived' }
    }
  }
}

/** Splits a stream into lines, refusing any longer than MAX_LINE_CHARS instead of holding it. */
export class LineSplitter {
  #pending = ''
  #skipping = false

  constructor(
    readonly onLine: (line: string) => void,
    readonly onOverlong: () => void,
  ) {}

  push(chunk: string): void {
    const text = this.#pending + chunk
    this.#pending = ''
    // Walk the lines by index: slicing the rest off after each one would copy a chunk per line.
    let start = 0
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      if (this.#skipping) this.#skipping = false
      else this.onLine(text.slice(start, newline))
      start = newline + 1
    }
    const rest = text.slice(start)
    if (rest.length > MAX_LINE_CHARS) {
      if (!this.#skipping) this.onOverlong()
      this.#skipping = true
    } else if (!this.#skipping) {
      this.#pending = rest
    }
  }
}
