import { ConformanceError } from '../core/errors.js'
import { checkGranularity, checkTimeout, MAX_TIMEOUT_MS } from '../core/limits.js'

/** One command-line option, declared once as data: parsing and help both come from it. */
export interface CliOption<Value> {
  /** As typed, with its value: `--timeout <ms>`, `--growth [counts]`, `--strict`. */
  readonly flag: string
  readonly description: string
  /** Shown in help; the constant the API uses, never a copy of it. */
  readonly default?: string | number | readonly (string | number)[]
  /** The raw value (undefined when the flag is absent) → what the command gets; throws SC_BAD_OPTION. */
  readonly parse: (raw: unknown, name: string) => Value
}

/** A command's options: every field of its flags declared (vitest's CLIOptions<Config>). */
export type CliOptions<Flags> = { readonly [Key in keyof Flags]-?: CliOption<Flags[Key]> }

/** `--timeout <ms>` → `--timeout`; cac reads it as `timeout`, `--allow-clear` as `allowClear`. */
export function longName(flag: string): string {
  return flag.split(/[ ,]+/).find((part) => part.startsWith('--')) as string
}

export const badOption = (message: string) => new ConformanceError('SC_BAD_OPTION', message)

/** Comma-separated or repeated values, as one list; absent (or given bare) is empty. */
export function list(value: unknown): string[] {
  if (value === undefined || value === true) return []
  return ([] as unknown[])
    .concat(value)
    .flatMap((entry) => String(entry).split(','))
    .map((entry) => entry.trim())
    .filter(Boolean)
}

export const optionalText = (raw: unknown) => (raw === undefined ? undefined : String(raw))

/** A text option that means `fallback` when absent, shown as its default in help. */
export function textOption(flag: string, description: string, fallback: string): CliOption<string> {
  return { flag, description, default: fallback, parse: (raw) => (raw === undefined ? fallback : String(raw)) }
}
export const isSet = (raw: unknown) => Boolean(raw)

/** Whole milliseconds written as digits: `0x10`, `1e3` and `0.5` are typos more often than intent. */
function flagNumber(value: unknown, flag: string): number {
  if (!/^\d+$/.test(String(value).trim()))
    throw badOption(`${flag} must be a whole number of milliseconds, got "${String(value)}"`)
  return Number(value)
}

/** A per-call timeout: whole milliseconds within the limits the API enforces. */
export const timeout = (raw: unknown, flag: string) =>
  raw === undefined ? undefined : checkTimeout(flagNumber(raw, flag), 'SC_BAD_OPTION', flag)

/** A duration: a whole number of milliseconds a timer can wait, at least 1. */
export function milliseconds(raw: unknown, flag: string): number | undefined {
  if (raw === undefined) return undefined
  const value = flagNumber(raw, flag)
  if (value < 1 || value > MAX_TIMEOUT_MS)
    throw badOption(`${flag} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${value}`)
  return value
}

/** A TTL granularity: 0 or more milliseconds. */
export const granularity = (raw: unknown, flag: string) =>
  raw === undefined ? undefined : checkGranularity(flagNumber(raw, flag), 'SC_BAD_OPTION', flag)

/** A whole number from 1 to `max`. */
export function count(value: unknown, flag: string, max = 10_000): number {
  const number = Number(value)
  if (!/^\d+$/.test(String(value).trim()) || number < 1 || number > max) {
    throw badOption(`${flag} must be a whole number from 1 to ${max}, got "${String(value)}"`)
  }
  return number
}
