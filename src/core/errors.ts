/** Error codes the CLI and API raise for bad input; each maps to exit code 2. */
export const ERROR_CODES = [
  'SC_MODULE_NOT_FOUND',
  'SC_MODULE_LOAD_FAILED',
  'SC_MODULE_NO_STORE',
  'SC_STORE_CREATE_FAILED',
  'SC_BAD_MANIFEST',
  'SC_ADAPTER_DEPENDENCY_MISSING',
  'SC_ADAPTER_DEPENDENCY_VERSION',
  'SC_BACKEND_UNAVAILABLE',
  'SC_BACKEND_UNREACHABLE',
  'SC_BACKEND_START_FAILED',
  'SC_UNKNOWN_CHECK',
  'SC_BAD_OPTION',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** An error the user can act on: printed as one line, never with a stack unless asked. */
export class ConformanceError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ConformanceError'
    this.code = code
  }
}

export function isConformanceError(error: unknown): error is ConformanceError {
  return error instanceof ConformanceError
}

/**
 * Raised inside a check when the store breaks the contract. `expected`/`actual` say what was
 * observed; `impact`, when given, replaces the check's general impact statement.
 */
export class CheckFailure extends Error {
  readonly expected: string | undefined
  readonly actual: string | undefined
  readonly impact: string | undefined

  constructor(message: string, details: { expected?: string; actual?: string; impact?: string } = {}) {
    super(message)
    this.name = 'CheckFailure'
    this.expected = details.expected
    this.actual = details.actual
    this.impact = details.impact
  }
}

/** Turns anything thrown into an Error (stores throw strings and plain objects too). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value
  return new Error(typeof value === 'string' ? value : describeValue(value))
}

/** The message of anything thrown: an Error's message (or name), a string as is, anything else described. */
export function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message || error.name)
    return typeof error === 'string' ? error : describeValue(error)
  } catch {
    // A store's error whose message getter throws: still an error, never a crash of the runner.
    return UNSHOWABLE
  }
}

const UNSHOWABLE = '[an error that cannot be shown: reading it threw]'

/** The first line of `messageOf(error)`: for one-line errors. */
export function firstLineOf(error: unknown): string {
  return messageOf(error).split('\n')[0] as string
}

/** A short, single-line rendering of a value for failure messages; never throws. */
export function describeValue(value: unknown, max = 160): string {
  let text: string
  try {
    text = render(value)
  } catch {
    text = UNSHOWABLE
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function render(value: unknown): string {
  let text: string
  if (value === undefined) text = 'undefined'
  else if (typeof value === 'function') text = `[function ${value.name || 'anonymous'}]`
  else if (value instanceof Error)
    text = `${value.name}: ${value.message}${codeOf(value) ? ` (code ${codeOf(value)})` : ''}`
  else if (value instanceof Date) text = `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`
  else {
    try {
      text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value)
    } catch {
      text = safeString(value)
    }
  }
  return text
}

/** String(value), or a description when even that throws (a hostile toString, a Symbol.toPrimitive). */
function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return `[${typeof value} that cannot be shown]`
  }
}

/** The string `code` an error carries (Node's ENOENT, a driver's, ours), if any. */
export function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : undefined
}
