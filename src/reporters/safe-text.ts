import { boundText } from '../core/bounded.js'

/**
 * Text that came from a store or a backend (error messages, values) is data, never markup or
 * terminal commands: each format gets it escaped and bounded here.
 */

/**
 * C0 controls except tab and newline, DEL and C1 (what a terminal would act on), and the
 * bidirectional overrides that make text read in another order than it is stored.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Control characters shown as `\u001b`, so they are visible and inert. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** For a terminal: bounded, control characters visible. */
export function terminalText(text: string): string {
  return visibleControls(boundText(text))
}

/**
 * For Markdown that is published (PR comments, reports/): bounded, one line, no raw HTML (tags
 * and comments become text), no links or images, no table breaks, control characters visible.
 */
export function markdownText(text: string): string {
  return visibleControls(boundText(text))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/[[\]]/g, '\\$&')
    .replace(/\r?\n/g, ' ')
}
