import type { Gate, RunObserver, RunReport } from '../../core/types.js'

export interface RenderOptions {
  readonly gate: Gate
  /** Whether ANSI colours may be used (never for files). */
  readonly color: boolean
  /** List every check, passes too (the terminal report lists only what did not pass by default). */
  readonly verbose?: boolean
  /** The terminal's width: lines wrap at it on word boundaries. Omit for none (files, CI logs). */
  readonly columns?: number | undefined
}

/** Turns a finished run into text. Reporters read only the report, never the store. */
export interface Reporter extends RunObserver {
  render(report: RunReport, options: RenderOptions): string
}

export interface ReporterOptions {
  /** Where live progress goes; omit (or pass a non-TTY stream) for none. */
  readonly progress?: NodeJS.WriteStream | undefined
}

export const STATUS_SYMBOL = { pass: '✓', fail: '✗', warn: '!', skip: '-' } as const
