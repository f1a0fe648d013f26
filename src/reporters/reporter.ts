import type { Gate, RunObserver, RunReport } from '../types.js'

export interface RenderOptions {
  readonly gate: Gate
  /** Whether ANSI colours may be used (never for files). */
  readonly color: boolean
}

/** Turns a finished run into text. Reporters read only the report, never the store. */
export interface Reporter extends RunObserver {
  render(report: RunReport, options: RenderOptions): string
}

export const STATUS_SYMBOL = { pass: '✓', fail: '✗', warn: '!', skip: '-' } as const
